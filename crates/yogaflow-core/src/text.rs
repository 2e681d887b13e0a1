//! Text folding for search: one person types "Tadasana", another "tāḍāsana",
//! a third "TADASANA"; all three must find Tāḍāsana.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases `s` and strips diacritics (NFD, then drops combining marks), so that
/// IAST and plain ASCII spellings compare equal.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Escapes `%`, `_` and `\` so user input is matched literally inside a SQL
/// `LIKE … ESCAPE '\'` pattern (1.0 let them act as wildcards).
fn escape_like(folded_needle: &str) -> String {
    let mut out = String::with_capacity(folded_needle.len() + 2);
    for c in folded_needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `LIKE` pattern: the text contains the needle anywhere.
pub fn like_contains(folded_needle: &str) -> String {
    format!("%{}%", escape_like(folded_needle))
}

/// `LIKE` pattern over `|`-delimited names: one name equals the needle.
pub fn like_exact_name(folded_needle: &str) -> String {
    format!("%|{}|%", escape_like(folded_needle))
}

/// `LIKE` pattern over `|`-delimited names: one name starts with the needle.
pub fn like_name_prefix(folded_needle: &str) -> String {
    format!("%|{}%", escape_like(folded_needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iast_and_ascii_fold_to_the_same_text() {
        assert_eq!(fold("Tāḍāsana"), "tadasana");
        assert_eq!(fold("Adho Mukha Śvānāsana"), "adho mukha svanasana");
        assert_eq!(fold("Añjaneyāsana"), "anjaneyasana");
        assert_eq!(fold("Vṛkṣāsana"), "vrksasana");
    }

    #[test]
    fn like_patterns_treat_wildcards_literally() {
        assert_eq!(like_contains("50%_off"), "%50\\%\\_off%");
        assert_eq!(like_contains("a\\b"), "%a\\\\b%");
    }
}
