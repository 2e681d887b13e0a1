//! The web app's stylesheet and scripts, compiled into the binary.
//!
//! Each file is served under a name that carries a hash of its bytes
//! (`/assets/app.3f2a91c0.css`), so browsers may keep it for a year: a changed
//! file gets a new name. Bodies are gzipped once, on first use.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::LazyLock;

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Logical name, bytes, content type.
const FILES: &[(&str, &[u8], &str)] = &[
    ("app.css", include_bytes!("../../assets/app.css"), CSS),
    ("app.js", include_bytes!("../../assets/js/app.js"), JS),
    (
        "library.js",
        include_bytes!("../../assets/js/library.js"),
        JS,
    ),
    ("player.js", include_bytes!("../../assets/js/player.js"), JS),
    (
        "builder.js",
        include_bytes!("../../assets/js/builder.js"),
        JS,
    ),
    (
        "breathe.js",
        include_bytes!("../../assets/js/breathe.js"),
        JS,
    ),
    ("api.js", include_bytes!("../../assets/js/api.js"), JS),
    ("speech.js", include_bytes!("../../assets/js/speech.js"), JS),
    ("prefs.js", include_bytes!("../../assets/js/prefs.js"), JS),
    ("admin.js", include_bytes!("../../assets/js/admin.js"), JS),
];

pub struct Asset {
    pub url: String,
    pub mime: &'static str,
    pub plain: Bytes,
    pub gzip: Bytes,
    pub etag: String,
}

struct Table {
    by_logical: HashMap<&'static str, usize>,
    by_file: HashMap<String, usize>,
    assets: Vec<Asset>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut t = Table {
        by_logical: HashMap::new(),
        by_file: HashMap::new(),
        assets: Vec::new(),
    };
    for (i, (name, raw, mime)) in FILES.iter().enumerate() {
        // The figure renderer owns the classes its SVG uses; its rules ride along
        // in our stylesheet so inline figures follow the theme.
        let body: Vec<u8> = if *name == "app.css" {
            [raw, yogaflow_figures::FIGURE_CSS.as_bytes()].concat()
        } else {
            raw.to_vec()
        };
        let body = &body[..];
        let digest = Sha256::digest(body);
        let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let file = format!("{stem}.{hash}.{ext}");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = gz.write_all(body);
        let gzip = gz.finish().unwrap_or_default();
        t.assets.push(Asset {
            url: format!("/assets/{file}"),
            mime,
            plain: Bytes::copy_from_slice(body),
            gzip: Bytes::from(gzip),
            etag: format!("\"{hash}\""),
        });
        t.by_logical.insert(name, i);
        t.by_file.insert(file, i);
    }
    t
});

/// The fingerprinted URL of a logical asset name; templates call this.
///
/// # Panics
/// Only for a name missing from `FILES`, which the asset tests rule out.
pub fn url(name: &str) -> &'static str {
    let t = &*TABLE;
    &t.assets[t.by_logical[name]].url
}

/// Every asset, for size checks and tests.
pub fn all() -> impl Iterator<Item = &'static Asset> {
    TABLE.assets.iter()
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let t = &*TABLE;
    let Some(&i) = t.by_file.get(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let a = &t.assets[i];
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let body = if gzip_ok {
        a.gzip.clone()
    } else {
        a.plain.clone()
    };
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&a.etag) {
        h.insert(header::ETAG, v);
    }
    if gzip_ok {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_fingerprinted_url() {
        for (name, _, _) in FILES {
            let u = url(name);
            assert!(u.starts_with("/assets/") && u.len() > name.len() + 8, "{u}");
        }
    }

    /// The budget: JavaScript under 60 KB and CSS under 40 KB, compressed.
    #[test]
    fn compressed_assets_stay_within_budget() {
        let js: usize = all().filter(|a| a.mime == JS).map(|a| a.gzip.len()).sum();
        let css: usize = all().filter(|a| a.mime == CSS).map(|a| a.gzip.len()).sum();
        assert!(js < 60 * 1024, "JavaScript is {js} bytes gzipped");
        assert!(css < 40 * 1024, "CSS is {css} bytes gzipped");
    }
}
