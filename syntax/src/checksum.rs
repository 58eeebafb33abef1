//! The checksum of a revision file: `embed_migrations!` computes it at compile time from the
//! file's text, the migration context records it beside the version table when the revision is
//! applied, and `current -v` and `check` compare the two to find applied files edited since.
//!
//! Entry point: [`revision_checksum`]. The text is normalised first so that what a checkout or
//! an editor changes without changing the migration gives the same checksum: a leading BOM is
//! dropped, CRLF and CR become LF, each line loses its trailing spaces, tabs, vertical tabs and
//! form feeds, and trailing blank lines go. The hash is FNV-1a 64
//! (<http://www.isthe.com/chongo/tech/comp/fnv/>): fixed constants over bytes, so every platform
//! and release computes the same value; a few lines with no dependency; and it detects
//! accidental edits, which is all it is for (anyone who can edit a revision can also accept it
//! with `stamp --repair`). The checksum names its algorithm (`fnv1a64:`) so another can be
//! introduced later without every recorded one reading as an edit.

/// The prefix naming the algorithm of [`revision_checksum`].
pub const CHECKSUM_ALGORITHM: &str = "fnv1a64";

/// `fnv1a64:` and 16 lowercase hex digits: the checksum of `text` once normalised.
pub fn revision_checksum(text: &str) -> String {
    format!(
        "{CHECKSUM_ALGORITHM}:{:016x}",
        fnv1a64(normalise(text).as_bytes())
    )
}

/// FNV-1a, 64 bits: the offset basis and prime of the FNV specification.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
    })
}

/// The text as it is hashed: no BOM, LF line ends, no trailing blanks on a line, no trailing
/// blank lines (and so no final line end).
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_end_matches([' ', '\t', '\u{b}', '\u{c}']))
        .collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "//! add users\nuse retort::prelude::*;\n\npub fn upgrade(op: &mut Operations) -> Result<()> {\n    op.drop_table(\"users\")?;\n    Ok(())\n}\n";

    #[test]
    fn fnv1a64_is_the_specified_function() {
        // Test vectors of the FNV specification.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn line_ends_trailing_blanks_and_a_bom_do_not_change_the_checksum() {
        let lf = revision_checksum(FILE);
        assert_eq!(revision_checksum(&FILE.replace('\n', "\r\n")), lf, "CRLF");
        assert_eq!(revision_checksum(&FILE.replace('\n', "\r")), lf, "CR");
        assert_eq!(
            revision_checksum(&FILE.replace('\n', " \t \n")),
            lf,
            "trailing spaces and tabs"
        );
        assert_eq!(
            revision_checksum(&format!("{FILE}\n\n  \n")),
            lf,
            "blank lines"
        );
        assert_eq!(revision_checksum(FILE.trim_end()), lf, "no final newline");
        assert_eq!(revision_checksum(&format!("\u{feff}{FILE}")), lf, "BOM");
    }

    #[test]
    fn a_changed_op_or_indentation_changes_the_checksum() {
        let lf = revision_checksum(FILE);
        assert_ne!(
            revision_checksum(&FILE.replace("drop_table", "drop_index")),
            lf
        );
        assert_ne!(revision_checksum(&FILE.replace("    Ok", "Ok")), lf);
        assert_ne!(revision_checksum(&FILE.replace("\n\n", "\n")), lf);
    }

    #[test]
    fn checksums_name_their_algorithm_and_are_stable() {
        assert_eq!(revision_checksum(""), "fnv1a64:cbf29ce484222325");
        assert_eq!(revision_checksum("a \r\n\r\n"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(revision_checksum(FILE).len(), "fnv1a64:".len() + 16);
    }
}
