//! The shape every YogaFlow email shares (greeting, blocks, sign-off) and its
//! two renderings: plain text, and simple HTML with inline styles (mail
//! clients ignore style sheets). Every value is escaped here, in one place, so
//! a template cannot forget to.

/// One piece of an email body, in reading order.
pub(crate) enum Block<'a> {
    /// A paragraph of plain text.
    Para(String),
    /// The main call to action: a button, with the raw link beneath it for
    /// clients that block buttons.
    Button { label: &'a str, url: &'a str },
    /// A secondary link, introduced by a sentence.
    Link { intro: &'a str, url: &'a str },
}

/// A whole email body addressed to `name`.
pub(crate) struct Letter<'a> {
    pub name: &'a str,
    pub blocks: Vec<Block<'a>>,
}

const SIGN_OFF: &str = "Breathe easy,";
const SIGNATURE: &str = "The YogaFlow team";
const FOOTER: &str = "You are receiving this email because of activity on your YogaFlow account.";

/// Text safe inside HTML elements and quoted attributes.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Letter<'_> {
    /// "Hi Ana," or, with no usable name, "Hi there,". Control characters are
    /// dropped so a name cannot break the layout of the text part.
    fn greeting(&self) -> String {
        let name: String = self
            .name
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        match name.trim() {
            "" => "Hi there,".to_owned(),
            n => format!("Hi {n},"),
        }
    }

    pub(crate) fn text(&self) -> String {
        let mut parts = vec![self.greeting()];
        for block in &self.blocks {
            parts.push(match block {
                Block::Para(p) => p.clone(),
                Block::Button { label, url } => format!("{label}:\n{url}"),
                Block::Link { intro, url } => format!("{intro}\n{url}"),
            });
        }
        parts.push(format!("{SIGN_OFF}\n{SIGNATURE}"));
        parts.push(format!("--\n{FOOTER}"));
        let mut text = parts.join("\n\n");
        text.push('\n');
        text
    }

    pub(crate) fn html(&self, title: &str) -> String {
        const P: &str = "margin:0 0 16px;";
        const LINK: &str = "color:#4a6b57;word-break:break-all;";
        let mut body = format!("<p style=\"{P}\">{}</p>\n", escape_html(&self.greeting()));
        for block in &self.blocks {
            let html = match block {
                Block::Para(p) => format!("<p style=\"{P}\">{}</p>\n", escape_html(p)),
                Block::Button { label, url } => {
                    let url = escape_html(url);
                    format!(
                        "<p style=\"margin:24px 0;\"><a href=\"{url}\" style=\"display:inline-block;\
                         padding:12px 24px;background-color:#4a6b57;color:#ffffff;text-decoration:none;\
                         border-radius:6px;font-weight:bold;\">{}</a></p>\n\
                         <p style=\"{P}font-size:14px;color:#5f6b63;\">If the button does not work, \
                         copy this link into your browser:<br><a href=\"{url}\" style=\"{LINK}\">{url}</a></p>\n",
                        escape_html(label)
                    )
                }
                Block::Link { intro, url } => {
                    let url = escape_html(url);
                    format!(
                        "<p style=\"{P}\">{}<br><a href=\"{url}\" style=\"{LINK}\">{url}</a></p>\n",
                        escape_html(intro)
                    )
                }
            };
            body.push_str(&html);
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n</head>\n\
             <body style=\"margin:0;padding:0;background-color:#f4f1ec;\">\n\
             <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
             style=\"background-color:#f4f1ec;\"><tr><td align=\"center\" style=\"padding:24px 12px;\">\n\
             <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
             style=\"max-width:560px;background-color:#ffffff;border-radius:8px;\"><tr>\
             <td style=\"padding:32px;font-family:Helvetica,Arial,sans-serif;font-size:16px;\
             line-height:1.5;color:#2f3a33;\">\n\
             <p style=\"margin:0 0 24px;font-size:20px;font-weight:bold;color:#4a6b57;\">YogaFlow</p>\n\
             {body}<p style=\"margin:24px 0 0;\">{SIGN_OFF}<br>{SIGNATURE}</p>\n\
             </td></tr></table>\n\
             <p style=\"margin:16px 0 0;font-family:Helvetica,Arial,sans-serif;font-size:12px;\
             color:#8a948d;\">{FOOTER}</p>\n\
             </td></tr></table>\n</body>\n</html>\n",
            title = escape_html(title),
        )
    }
}
