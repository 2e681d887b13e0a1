//! Mail settings from 1.0's variables: defaults, each transport, and one
//! error line naming the variable for each bad value.

use std::collections::HashMap;
use std::path::Path;
use yogaflow_mail::{MailSettings, Security, SmtpSettings, TransportSettings};

fn read(vars: &[(&str, &str)]) -> Result<MailSettings, String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    MailSettings::from_lookup(|k| map.get(k).cloned(), Path::new("/data"))
}

fn ok(vars: &[(&str, &str)]) -> MailSettings {
    read(vars).unwrap_or_else(|e| panic!("{e}"))
}

fn smtp(vars: &[(&str, &str)]) -> SmtpSettings {
    match ok(vars).transport {
        TransportSettings::Smtp(s) => s,
        other => panic!("expected SMTP, got {other:?}"),
    }
}

#[test]
fn without_smtp_host_mail_goes_to_files_in_the_data_dir() {
    let s = ok(&[]);
    assert_eq!(
        s.transport,
        TransportSettings::File {
            dir: Path::new("/data/outbox").to_path_buf()
        }
    );
    assert_eq!(s.from.to_string(), "YogaFlow <noreply@yogaflow.app>");
    // An empty value, as `.env` files have, counts as unset.
    assert!(matches!(
        ok(&[("SMTP_HOST", " ")]).transport,
        TransportSettings::File { .. }
    ));
}

#[test]
fn smtp_defaults_to_starttls_on_587() {
    let s = smtp(&[("SMTP_HOST", "smtp.example.com")]);
    assert_eq!(
        (s.host.as_str(), s.port, s.security),
        ("smtp.example.com", 587, Security::StartTls)
    );
    assert_eq!((s.user, s.password), (None, None));
}

#[test]
fn every_variable_is_read() {
    let s = ok(&[
        ("SMTP_HOST", "mail.example.org"),
        ("SMTP_PORT", "2525"),
        ("SMTP_USER", "yoga"),
        ("SMTP_PASSWORD", "s3cret pass"),
        ("SMTP_TLS", "false"),
        ("EMAIL_FROM", "hello@example.org"),
        ("EMAIL_FROM_NAME", "YogaFlow Studio"),
    ]);
    assert_eq!(s.from.to_string(), "YogaFlow Studio <hello@example.org>");
    let TransportSettings::Smtp(smtp) = s.transport else {
        panic!("expected SMTP")
    };
    assert_eq!(smtp.port, 2525);
    assert_eq!(smtp.security, Security::None);
    assert_eq!(smtp.user.as_deref(), Some("yoga"));
    assert_eq!(smtp.password.as_deref(), Some("s3cret pass"));
    assert!(
        !format!("{smtp:?}").contains("s3cret"),
        "Debug must hide the password"
    );
}

#[test]
fn smtp_ssl_means_implicit_tls_on_465() {
    let s = smtp(&[("SMTP_HOST", "smtp.example.com"), ("SMTP_SSL", "true")]);
    assert_eq!((s.port, s.security), (465, Security::Tls));
    let s = smtp(&[
        ("SMTP_HOST", "smtp.example.com"),
        ("SMTP_SSL", "1"),
        ("SMTP_TLS", "0"),
        ("SMTP_PORT", "4650"),
    ]);
    assert_eq!((s.port, s.security), (4650, Security::Tls));
}

#[test]
fn each_bad_variable_gives_one_line_naming_it() {
    let host = ("SMTP_HOST", "smtp.example.com");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[host, ("SMTP_PORT", "abc")], "SMTP_PORT"),
        (&[host, ("SMTP_PORT", "0")], "SMTP_PORT"),
        (&[host, ("SMTP_PORT", "70000")], "SMTP_PORT"),
        (&[host, ("SMTP_TLS", "maybe")], "SMTP_TLS"),
        (&[host, ("SMTP_SSL", "sure")], "SMTP_SSL"),
        (
            &[host, ("SMTP_TLS", "true"), ("SMTP_SSL", "true")],
            "SMTP_SSL",
        ),
        (&[("SMTP_HOST", "smtp://smtp.example.com")], "SMTP_HOST"),
        (&[("SMTP_HOST", "smtp example com")], "SMTP_HOST"),
        (&[host, ("SMTP_USER", "yoga")], "SMTP_PASSWORD"),
        (&[host, ("SMTP_PASSWORD", "hunter2")], "SMTP_USER"),
        (&[("EMAIL_FROM", "not an address")], "EMAIL_FROM"),
        (&[("EMAIL_FROM", "a@b.c\r\nBcc: x@y")], "EMAIL_FROM"),
        (&[("EMAIL_FROM_NAME", "Yoga\nFlow")], "EMAIL_FROM_NAME"),
    ];
    for (vars, name) in cases {
        let err = read(vars)
            .err()
            .unwrap_or_else(|| panic!("{vars:?} should be refused"));
        assert!(err.contains(name), "{vars:?}: `{err}` does not name {name}");
        assert!(!err.contains('\n'), "{vars:?}: `{err}` is not one line");
        assert!(!err.contains("hunter2"), "the password must not be echoed");
    }
}

#[test]
fn the_port_error_says_what_is_expected() {
    let err = read(&[("SMTP_HOST", "smtp.example.com"), ("SMTP_PORT", "abc")]).err();
    assert_eq!(
        err.as_deref(),
        Some("SMTP_PORT must be a number from 1 to 65535 (got `abc`)")
    );
}
