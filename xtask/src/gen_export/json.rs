//! Small JSON writing helpers: request documents are built as text directly,
//! key by key in MIM's order, which is faster than building a value tree and
//! keeps the key order MIM writes.

/// Appends `s` as a JSON string literal (quotes included), escaping `"`,
/// `\` and control characters as every JSON writer does.
pub fn push_str_literal(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s, false);
    out.push('"');
}

/// Appends `s` escaped for the inside of a JSON string. With `powershell`,
/// also escapes `'`, `<`, `>` and `&` as `\u0027` and so on, the way
/// Windows PowerShell 5.1's `ConvertTo-Json` does.
pub fn push_escaped(out: &mut String, s: &str, powershell: bool) {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\'' if powershell => Some("\\u0027"),
            '<' if powershell => Some("\\u003c"),
            '>' if powershell => Some("\\u003e"),
            '&' if powershell => Some("\\u0026"),
            c if (c as u32) < 0x20 => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

/// A JSON object written member by member.
pub struct JsonObject {
    text: String,
    empty: bool,
}

impl Default for JsonObject {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonObject {
    /// An object with no members yet.
    pub fn new() -> Self {
        JsonObject {
            text: String::from("{"),
            empty: true,
        }
    }

    fn key(&mut self, k: &str) {
        if !self.empty {
            self.text.push(',');
        }
        self.empty = false;
        push_str_literal(&mut self.text, k);
        self.text.push(':');
    }

    /// A string member.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        push_str_literal(&mut self.text, v);
        self
    }

    /// A member whose value is already JSON text.
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k);
        self.text.push_str(json);
        self
    }

    /// A list member from items that are already JSON text.
    pub fn list(&mut self, k: &str, items: &[String]) -> &mut Self {
        self.key(k);
        self.text.push('[');
        self.text.push_str(&items.join(","));
        self.text.push(']');
        self
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }
}

/// A list of JSON texts as one JSON array.
pub fn array(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_escapes_markup_characters() {
        let mut s = String::new();
        push_escaped(&mut s, "a'b<c>&\"\\\n", true);
        assert_eq!(s, "a\\u0027b\\u003cc\\u003e\\u0026\\\"\\\\\\n");
    }

    #[test]
    fn objects_keep_member_order() {
        let mut o = JsonObject::new();
        o.str("B", "x").raw("A", "[1]");
        assert_eq!(o.finish(), r#"{"B":"x","A":[1]}"#);
    }
}
