//! The command-line tool: bad input is reported and the rest is still read.

// These tests read fixtures from disk or fork processes: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn json_output_has_the_rows_and_accounting_of_a_load() {
    let out = Command::new(env!("CARGO_BIN_EXE_mim-reports"))
        .args(["--json", &fixture("basic/wevtutil.xml")])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(out.status.success());
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}"));
    assert_eq!(
        doc["reports"]["password_reset_activity"]
            .as_array()
            .map(Vec::len),
        Some(22)
    );
    assert_eq!(
        doc["reports"]["password_reset_registration"]
            .as_array()
            .map(Vec::len),
        Some(9)
    );
    assert_eq!(
        doc["reports"]["self_service_groups"]
            .as_array()
            .map(Vec::len),
        Some(15)
    );
    assert_eq!(doc["other_requests"], 69);
    assert_eq!(doc["counts"]["events_read"], 129);
    assert_eq!(doc["files"][0]["format"], "wevtutil XML (no root element)");
}

#[test]
fn a_garbage_file_and_a_missing_file_do_not_stop_the_good_one() {
    let dir = std::env::temp_dir().join(format!("mim-reports-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let garbage = dir.join("holiday.png");
    std::fs::write(&garbage, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_mim-reports"))
        .arg(garbage.display().to_string())
        .arg(dir.join("missing.xml").display().to_string())
        .arg(fixture("basic/ps7-getwinevent.json"))
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A file that could not be opened makes the exit code 2; the rest is read.
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("missing.xml: cannot open"), "{stderr}");
    assert!(
        stdout.contains("Password reset activity:           22 rows"),
        "{stdout}"
    );
    assert!(stdout.contains("it looks like a PNG image"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mim_and_an_entra_export_are_counted_by_source() {
    let out = Command::new(env!("CARGO_BIN_EXE_mim-reports"))
        .arg(fixture("basic/wevtutil.xml"))
        .arg(fixture("entra/graph-pages.json"))
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains("Password reset activity:           27 rows"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  On-premises (MIM)               22       9      15      69\n  \
             Cloud (Entra ID)                 5       3       4       2\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("format:   Microsoft Graph directoryAudits JSON (Entra ID)"),
        "{stdout}"
    );
}
