//! Every email template: subject prefix, both bodies present, links in both,
//! and names or addresses escaped in the HTML part.

use yogaflow_mail::{Content, templates};

const NAME: &str = "<script>alert('hi')</script> & Co";
const LINK: &str = "https://yogaflow.test/account/confirm?token=abc123";
const LINK2: &str = "https://yogaflow.test/account/reset?token=def456";

/// Each template with the links it was given.
fn all() -> Vec<(Content, Vec<&'static str>)> {
    vec![
        (templates::verify_email(NAME, LINK), vec![LINK]),
        (templates::reset_password(NAME, LINK), vec![LINK]),
        (
            templates::already_registered(NAME, LINK, LINK2),
            vec![LINK, LINK2],
        ),
        (templates::password_changed(NAME), vec![]),
        (templates::confirm_new_email(NAME, LINK), vec![LINK]),
        (
            templates::email_changed_notice(NAME, "n***@example.com"),
            vec![],
        ),
        (templates::account_deleted(NAME), vec![]),
        (templates::lockout_notice(NAME, LINK), vec![LINK]),
    ]
}

#[test]
fn every_template_renders_both_bodies_with_its_links() {
    for (c, links) in all() {
        assert!(c.subject.starts_with("YogaFlow: "), "{}", c.subject);
        assert!(c.subject.len() > "YogaFlow: ".len());
        assert!(!c.subject.contains(['\r', '\n']));
        assert!(c.text.trim().len() > 100, "{}: text body", c.kind);
        assert!(c.html.trim().len() > 100, "{}: html body", c.kind);
        assert!(c.html.starts_with("<!DOCTYPE html>"), "{}", c.kind);
        for link in links {
            assert!(c.text.contains(link), "{}: text lacks {link}", c.kind);
            assert!(
                c.html.contains(&format!("href=\"{link}\"")),
                "{}: html lacks {link}",
                c.kind
            );
        }
    }
}

#[test]
fn names_are_escaped_in_html_and_kept_in_text() {
    for (c, _) in all() {
        assert!(!c.html.contains("<script>"), "{}: unescaped name", c.kind);
        assert!(
            c.html
                .contains("&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; Co"),
            "{}: escaped name missing",
            c.kind
        );
        assert!(c.text.contains(&format!("Hi {NAME},")), "{}", c.kind);
    }
}

#[test]
fn kinds_are_distinct() {
    let mut kinds: Vec<&str> = all().iter().map(|(c, _)| c.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 8);
    assert_eq!(templates::verify_email("a", LINK).kind, "verify_email");
}

#[test]
fn links_and_addresses_are_escaped_in_html_attributes() {
    let link = "https://yogaflow.test/r?a=1&b=\"x\"><script>";
    let c = templates::reset_password("Ana", link);
    assert!(
        c.html
            .contains("href=\"https://yogaflow.test/r?a=1&amp;b=&quot;x&quot;&gt;&lt;script&gt;\"")
    );
    assert!(!c.html.contains("<script>"));
    assert!(c.text.contains(link), "the text part keeps the link as is");

    let c = templates::email_changed_notice("Ana", "<b>n***@example.com</b>");
    assert!(c.html.contains("&lt;b&gt;n***@example.com&lt;/b&gt;"));
    assert!(c.text.contains("<b>n***@example.com</b>"));
}

#[test]
fn the_reset_email_says_how_long_it_lasts_and_what_to_do_if_unexpected() {
    let c = templates::reset_password("Ana", LINK);
    assert!(c.text.contains("30 minutes"));
    assert!(c.text.contains("If you didn't ask"));
}

#[test]
fn a_blank_or_multiline_name_still_reads_well() {
    let c = templates::password_changed("  ");
    assert!(c.text.starts_with("Hi there,\n"));
    let c = templates::password_changed("Ana\r\nBcc: x@y");
    assert!(c.text.starts_with("Hi Ana  Bcc: x@y,\n"), "{}", c.text);
}

#[test]
fn an_addressed_template_keeps_its_content() {
    let c = templates::verify_email("Ana", LINK);
    let mail = c.clone().to("ana@example.com");
    assert_eq!(mail.to, "ana@example.com");
    assert_eq!(
        (mail.subject, mail.text, mail.html, mail.kind.as_str()),
        (c.subject, c.text, c.html, c.kind)
    );
    let shown = format!(
        "{:?}",
        templates::verify_email("Ana", LINK).to("ana@example.com")
    );
    assert!(
        !shown.contains("token="),
        "Debug must not show links: {shown}"
    );
}
