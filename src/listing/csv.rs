//! CSV as RFC 4180 defines it: CRLF after every record, fields quoted when they hold a comma, a
//! double quote, CR or LF, and double quotes inside doubled.
//!
//! A field a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) gets a leading `'`, as OWASP recommends against CSV injection: a title
//! `=HYPERLINK(...)` shows as text.

use std::io::{self, Write};

/// Writes one record.
pub fn write_record<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_field(out, field.as_ref())?;
    }
    out.write_all(b"\r\n")
}

fn write_field(out: &mut dyn Write, field: &str) -> io::Result<()> {
    let neutralised;
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutralised = format!("'{field}");
        neutralised.as_str()
    } else {
        field
    };
    if field.contains([',', '"', '\r', '\n']) {
        write!(out, "\"{}\"", field.replace('"', "\"\""))
    } else {
        out.write_all(field.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> String {
        let mut out = Vec::new();
        write_record(&mut out, fields).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(record(&["a", "b c", ""]), "a,b c,\r\n");
        assert_eq!(
            record(&["IntercoTOUR, un baromètre", "say \"hi\"", "x"]),
            "\"IntercoTOUR, un baromètre\",\"say \"\"hi\"\"\",x\r\n"
        );
        assert_eq!(
            record(&["two\nlines", "cr\r"]),
            "\"two\nlines\",\"cr\r\"\r\n"
        );
        assert_eq!(record(&["l'été; ok"]), "l'été; ok\r\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            record(&["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)"]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-2,'@SUM(A1)\r\n"
        );
        assert_eq!(
            record(&["\tx", "\rx", "a=b", "2024-01-01"]),
            "'\tx,\"'\rx\",a=b,2024-01-01\r\n"
        );
    }
}
