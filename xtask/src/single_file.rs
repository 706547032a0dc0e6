//! Folds Trunk's output into one self-contained HTML page that works when
//! opened from `file://`, with no network request of any kind.
//!
//! Chromium refuses ES modules and `fetch` for a page opened from disk, so the
//! page Trunk writes (a module script that fetches the `.wasm`) stays blank
//! there. This step builds the page that ships instead:
//!
//! - stylesheets become `<style>` elements;
//! - the wasm module is gzipped and embedded as base64 in a data block (a
//!   `<script>` of a non-JavaScript type, which the browser never runs);
//! - the `no-modules` glue of wasm-bindgen becomes a classic inline script;
//! - a small start script unpacks the module with `DecompressionStream` and
//!   hands the bytes to the glue;
//! - a Content-Security-Policy forbids every connection and every outside
//!   resource, and allows exactly these inline scripts by their hashes.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// Id of the data block that holds the gzipped, base64-encoded wasm module.
const WASM_BLOCK_ID: &str = "mim-wasm";

/// Id of the inline glue script, whose text the start script keeps for the
/// reading worker.
const GLUE_SCRIPT_ID: &str = "mim-glue";

/// Starts the app: unpacks the embedded module and runs the glue on it.
///
/// Runs after the glue script, which defines the global `wasm_bindgen`. The
/// base64 text is decoded with `atob` rather than `fetch("data:...")`, which
/// the policy's `connect-src 'none'` forbids. If anything fails, the page
/// says so in plain words instead of staying blank.
///
/// It also keeps the glue's text and the module's bytes in the global
/// `__mimWorkerParts`, from which the app starts its reading worker: a worker
/// from a `Blob` URL of the glue plus a start script of the app's, which a
/// page opened from `file://` may run (the policy's `worker-src blob:`). The
/// glue's text is read back from its script element rather than carried
/// twice.
const START_SCRIPT: &str = r#"(function () {
  "use strict";
  function showFailure(error) {
    var message = document.createElement("p");
    message.className = "load-error";
    message.textContent =
      "The page could not start in this browser: " + String(error);
    document.body.appendChild(message);
    console.error(error);
  }
  async function start() {
    var block = document.getElementById("mim-wasm");
    var text = atob(block.textContent.trim());
    block.remove();
    var packed = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      packed[i] = text.charCodeAt(i);
    }
    var unpacked = new Blob([packed])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"));
    var bytes = await new Response(unpacked).arrayBuffer();
    var glue = document.getElementById("mim-glue");
    Object.defineProperty(window, "__mimWorkerParts", {
      value: Object.freeze({ glue: glue ? glue.textContent : "", wasm: bytes })
    });
    await wasm_bindgen({ module_or_path: bytes });
  }
  start().catch(showFailure);
})();
"#;

/// Sizes of a page written by [`assemble`], for the build log.
#[derive(Debug)]
pub struct PageSummary {
    /// Size of the written HTML file.
    pub page_bytes: usize,
    /// Size of the wasm module as Trunk wrote it.
    pub wasm_bytes: usize,
    /// Size of the module after gzip, before base64.
    pub gzipped_wasm_bytes: usize,
}

/// Why the page could not be assembled.
#[derive(Debug)]
pub enum AssembleError {
    /// A file of Trunk's output could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The page could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Trunk's output folder has no `*_bg.wasm` file, or more than one.
    WasmModule {
        /// The folder looked in.
        dir: PathBuf,
        /// The `*_bg.wasm` files found there.
        found: Vec<PathBuf>,
    },
    /// A script's text would end its `<script>` element early (it contains
    /// `</script` or `<!--`), so it cannot be inlined as is.
    UnsafeScriptText {
        /// The script file.
        path: PathBuf,
    },
    /// The HTML does not have the element this step needs.
    MissingElement {
        /// The HTML file.
        path: PathBuf,
        /// The element, such as `</body>`.
        element: &'static str,
    },
    /// A `<link>` tag of the HTML has no closing `>`.
    UnclosedTag {
        /// The HTML file.
        path: PathBuf,
        /// Byte offset of the tag in the file.
        offset: usize,
    },
    /// After inlining, the HTML still points at something outside the page,
    /// which would break offline use and be refused by the policy.
    OutsideReference {
        /// The HTML file.
        path: PathBuf,
        /// The attribute, as written.
        attribute: String,
    },
}

impl fmt::Display for AssembleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            Self::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            Self::WasmModule { dir, found } => write!(
                f,
                "expected one *_bg.wasm file in {}, found {}; run `trunk build` first",
                dir.display(),
                found.len()
            ),
            Self::UnsafeScriptText { path } => write!(
                f,
                "{} contains `</script` or `<!--` and cannot be inlined in a <script> element",
                path.display()
            ),
            Self::MissingElement { path, element } => {
                write!(f, "{} has no {element}", path.display())
            }
            Self::UnclosedTag { path, offset } => write!(
                f,
                "{}: the <link> tag at byte {offset} has no closing `>`",
                path.display()
            ),
            Self::OutsideReference { path, attribute } => write!(
                f,
                "{} still refers to an outside resource after inlining: {attribute}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for AssembleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } | Self::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Reads Trunk's output in `dist_dir` and writes the single-file page to
/// `out`, creating its folder if needed.
pub fn assemble(dist_dir: &Path, out: &Path) -> Result<PageSummary, AssembleError> {
    let html_path = dist_dir.join("index.html");
    let html = read_text(&html_path)?;
    let wasm_path = find_wasm_module(dist_dir)?;
    let glue_path = glue_of(&wasm_path);
    let glue = read_text(&glue_path)?;
    let wasm = fs::read(&wasm_path).map_err(|source| AssembleError::Read {
        path: wasm_path.clone(),
        source,
    })?;

    let gzipped = gzip(&wasm).map_err(|source| AssembleError::Read {
        path: wasm_path.clone(),
        source,
    })?;
    let page = build_page(&html, &html_path, dist_dir, &glue, &glue_path, &gzipped)?;

    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).map_err(|source| AssembleError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    fs::write(out, &page).map_err(|source| AssembleError::Write {
        path: out.to_path_buf(),
        source,
    })?;

    Ok(PageSummary {
        page_bytes: page.len(),
        wasm_bytes: wasm.len(),
        gzipped_wasm_bytes: gzipped.len(),
    })
}

/// Builds the page text from Trunk's HTML, the glue and the gzipped module.
fn build_page(
    html: &str,
    html_path: &Path,
    dist_dir: &Path,
    glue: &str,
    glue_path: &Path,
    gzipped_wasm: &[u8],
) -> Result<String, AssembleError> {
    check_inline_script(glue, glue_path)?;

    let html = inline_links(html, html_path, dist_dir)?;
    check_no_outside_references(&html, html_path)?;

    let policy = content_security_policy(&[glue, START_SCRIPT]);
    let html = insert_policy(&html, html_path, &policy)?;

    let scripts = format!(
        "<script type=\"application/octet-stream\" id=\"{WASM_BLOCK_ID}\" \
         data-encoding=\"gzip+base64\">{}</script>\n\
         <script id=\"{GLUE_SCRIPT_ID}\">{glue}</script>\n<script>{START_SCRIPT}</script>\n",
        BASE64.encode(gzipped_wasm)
    );
    let Some(body_end) = html.rfind("</body>") else {
        return Err(AssembleError::MissingElement {
            path: html_path.to_path_buf(),
            element: "</body>",
        });
    };
    let mut page = String::with_capacity(html.len() + scripts.len());
    page.push_str(&html[..body_end]);
    page.push_str(&scripts);
    page.push_str(&html[body_end..]);
    Ok(page)
}

/// The one `*_bg.wasm` file in `dir`, wherever Trunk's file hashing left it.
fn find_wasm_module(dir: &Path) -> Result<PathBuf, AssembleError> {
    let entries = fs::read_dir(dir).map_err(|source| AssembleError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with("_bg.wasm"))
        })
        .collect();
    if found.len() != 1 {
        found.sort();
        return Err(AssembleError::WasmModule {
            dir: dir.to_path_buf(),
            found,
        });
    }
    Ok(found.remove(0))
}

/// The glue wasm-bindgen writes next to a module: `app_bg.wasm` -> `app.js`.
fn glue_of(wasm_path: &Path) -> PathBuf {
    let name = wasm_path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let stem = name.strip_suffix("_bg.wasm").unwrap_or(name);
    wasm_path.with_file_name(format!("{stem}.js"))
}

fn read_text(path: &Path) -> Result<String, AssembleError> {
    fs::read_to_string(path).map_err(|source| AssembleError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Refuses script text that would end its element early when inlined.
///
/// `</script` closes the element wherever it appears, and `<!--` switches the
/// HTML parser into a mode where a later `<script` changes how it ends.
fn check_inline_script(text: &str, path: &Path) -> Result<(), AssembleError> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("</script") || lower.contains("<!--") {
        return Err(AssembleError::UnsafeScriptText {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Replaces each `<link rel="stylesheet" href=...>` with a `<style>` element
/// holding the file's text, and drops preload links (their targets are
/// inlined) and Trunk's own `data-trunk` links, which it leaves in place when
/// it injects no scripts. Other links (such as a `data:` icon) stay.
fn inline_links(html: &str, html_path: &Path, dist_dir: &Path) -> Result<String, AssembleError> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut offset = 0;
    while let Some(start) = find_ascii_case_insensitive(rest, "<link") {
        let Some(length) = rest[start..].find('>') else {
            return Err(AssembleError::UnclosedTag {
                path: html_path.to_path_buf(),
                offset: offset + start,
            });
        };
        let tag = &rest[start..start + length + 1];
        out.push_str(&rest[..start]);

        let rel = attribute(tag, "rel")
            .unwrap_or_default()
            .to_ascii_lowercase();
        match rel.as_str() {
            _ if has_attribute(tag, "data-trunk") => {}
            "stylesheet" => {
                let href = attribute(tag, "href").unwrap_or_default();
                let css_path = dist_dir.join(href.trim_start_matches('/'));
                let css = read_text(&css_path)?;
                out.push_str("<style>\n");
                out.push_str(&css);
                out.push_str("</style>");
            }
            "preload" | "modulepreload" => {}
            _ => out.push_str(tag),
        }

        offset += start + tag.len();
        rest = &rest[start + tag.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Refuses HTML whose `src` or `href` attributes point anywhere but `data:`.
fn check_no_outside_references(html: &str, html_path: &Path) -> Result<(), AssembleError> {
    let lower = html.to_ascii_lowercase();
    for name in [" src=", " href="] {
        for (position, _) in lower.match_indices(name) {
            let value_start = position + name.len();
            let value = lower[value_start..]
                .trim_start_matches(['"', '\''])
                .split(['"', '\'', ' ', '>'])
                .next()
                .unwrap_or_default();
            if !value.starts_with("data:") {
                let end = html[value_start..]
                    .find(['>', '\n'])
                    .map_or(html.len(), |length| value_start + length);
                return Err(AssembleError::OutsideReference {
                    path: html_path.to_path_buf(),
                    attribute: html[position + 1..end].to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The policy of the page: nothing may be fetched or connected to; scripts
/// run only if their text hashes to one of `inline_scripts`.
///
/// - `'wasm-unsafe-eval'` lets the scripts compile WebAssembly.
/// - `style-src 'unsafe-inline'` allows the inlined `<style>` and the `style`
///   attributes components may set.
/// - `img-src data:` allows images the page carries itself.
/// - `worker-src blob:` allows a worker made from inlined script text.
/// - `base-uri` and `form-action` do not fall back to `default-src`, so they
///   are closed explicitly.
fn content_security_policy(inline_scripts: &[&str]) -> String {
    let hashes: Vec<String> = inline_scripts
        .iter()
        .map(|script| {
            format!(
                "'sha256-{}'",
                BASE64.encode(Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    format!(
        "default-src 'none'; connect-src 'none'; script-src {} 'wasm-unsafe-eval'; \
         style-src 'unsafe-inline'; img-src data:; worker-src blob:; \
         base-uri 'none'; form-action 'none'",
        hashes.join(" ")
    )
}

/// Puts the policy's `<meta>` first in `<head>`, before anything it governs
/// (a policy given by `<meta>` applies only to what follows it), but after
/// the charset declaration when there is one.
fn insert_policy(html: &str, html_path: &Path, policy: &str) -> Result<String, AssembleError> {
    let meta = format!("\n<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">");
    let head_end = find_ascii_case_insensitive(html, "<head>").map(|start| start + "<head>".len());
    let charset_end = find_ascii_case_insensitive(html, "<meta charset")
        .and_then(|start| html[start..].find('>').map(|length| start + length + 1));
    let Some(at) = charset_end.or(head_end) else {
        return Err(AssembleError::MissingElement {
            path: html_path.to_path_buf(),
            element: "<head>",
        });
    };
    let mut out = String::with_capacity(html.len() + meta.len());
    out.push_str(&html[..at]);
    out.push_str(&meta);
    out.push_str(&html[at..]);
    Ok(out)
}

/// The value of attribute `name` in one tag, quoted or not.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let lower = tag.to_ascii_lowercase();
    let pattern = format!("{name}=");
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(&pattern) {
        let start = search_from + found;
        search_from = start + pattern.len();
        // The name must stand alone, not end a longer one (`data-rel=`).
        let before = lower[..start].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let value = &tag[start + pattern.len()..];
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => value[1..].split(quote).next().unwrap_or_default(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or_default(),
        });
    }
    None
}

/// Whether one tag has attribute `name`, with or without a value.
///
/// Good enough for the HTML Trunk writes: an attribute value with a space
/// that spells ` name` could be mistaken for the attribute.
fn has_attribute(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>')
        .map(|token| token.split('=').next().unwrap_or_default())
        .any(|token| token.eq_ignore_ascii_case(name))
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_path() -> PathBuf {
        PathBuf::from("index.html")
    }

    #[test]
    fn policy_lists_the_sha256_of_each_inline_script() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        let policy = content_security_policy(&["alert(1)"]);

        assert!(policy.contains(
            "script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=' 'wasm-unsafe-eval';"
        ));
    }

    #[test]
    fn policy_forbids_connections_and_outside_resources() {
        let policy = content_security_policy(&[]);

        assert!(policy.starts_with("default-src 'none'; connect-src 'none';"));
        assert!(policy.contains("img-src data:;"));
        assert!(policy.contains("worker-src blob:;"));
    }

    #[test]
    fn policy_meta_follows_the_charset_declaration() {
        let html = "<html><head><meta charset=\"utf-8\"><title>t</title></head></html>";

        let out = insert_policy(html, &html_path(), "default-src 'none'").unwrap();

        assert_eq!(
            out,
            "<html><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" \
             content=\"default-src 'none'\"><title>t</title></head></html>"
        );
    }

    #[test]
    fn script_text_that_closes_its_element_is_refused() {
        let refused = check_inline_script("let s = '</SCRIPT>';", Path::new("glue.js"));

        assert!(matches!(
            refused,
            Err(AssembleError::UnsafeScriptText { .. })
        ));
    }

    #[test]
    fn stylesheet_links_become_style_elements_and_build_links_go() {
        let dir = std::env::temp_dir().join(format!("xtask-inline-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("style.css"), "h1 { color: red; }\n").unwrap();
        let html = "<head><link rel=\"stylesheet\" href=\"/style.css\">\
                    <link rel=\"preload\" href=\"/app_bg.wasm\">\
                    <link data-trunk rel=\"rust\" data-trunk-id=\"1\">\
                    <link rel=\"icon\" href=\"data:,\"></head>";

        let out = inline_links(html, &html_path(), &dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();

        assert_eq!(
            out,
            "<head><style>\nh1 { color: red; }\n</style><link rel=\"icon\" href=\"data:,\"></head>"
        );
    }

    #[test]
    fn a_reference_outside_the_page_is_refused() {
        let html = "<body><img src=\"data:,\"><script src=\"app.js\"></script></body>";

        let refused = check_no_outside_references(html, &html_path());

        assert!(matches!(
            refused,
            Err(AssembleError::OutsideReference { attribute, .. })
                if attribute == "src=\"app.js\""
        ));
    }

    #[test]
    fn attribute_values_are_read_quoted_or_bare() {
        let tag = "<link data-rel=\"x\" rel=stylesheet href='/a.css'>";

        assert_eq!(attribute(tag, "rel"), Some("stylesheet"));
        assert_eq!(attribute(tag, "href"), Some("/a.css"));
        assert_eq!(attribute(tag, "type"), None);
        assert!(has_attribute(tag, "data-rel"));
        assert!(!has_attribute(tag, "data"));
    }

    #[test]
    fn the_start_script_keeps_the_glue_it_names_for_the_worker() {
        let page = build_page(
            "<html><head><meta charset=\"utf-8\"></head><body></body></html>",
            &html_path(),
            Path::new("."),
            "var wasm_bindgen;",
            Path::new("glue.js"),
            b"\x1f\x8b",
        )
        .unwrap();

        assert!(page.contains(&format!(
            "<script id=\"{GLUE_SCRIPT_ID}\">var wasm_bindgen;</script>"
        )));
        assert!(START_SCRIPT.contains(&format!("getElementById(\"{GLUE_SCRIPT_ID}\")")));
        assert!(START_SCRIPT.contains("__mimWorkerParts"));
        // An attribute does not change a script's text, so its hash still
        // matches the policy.
        let policy = content_security_policy(&["var wasm_bindgen;", START_SCRIPT]);
        assert!(page.contains(&policy));
    }

    #[test]
    fn glue_is_found_next_to_the_module() {
        assert_eq!(
            glue_of(Path::new("dist/mim-reports-web_bg.wasm")),
            PathBuf::from("dist/mim-reports-web.js")
        );
    }
}
