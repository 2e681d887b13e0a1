//! Checking and cleaning uploaded images. The format is judged by the bytes
//! alone (never the file name or the declared type); only PNG, JPEG and WebP
//! pass. Dimensions are read from the header before anything is decoded, so a
//! small file that declares a huge picture costs nothing. Files that carry
//! anything after the image's end, or markup anywhere, are refused; the rest are
//! decoded under limits and re-encoded, which drops EXIF, GPS and every other
//! chunk or segment a file can smuggle.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest upload accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 4096;
/// Most pixels accepted (a 4096 × 4096 picture).
pub const MAX_PIXELS: u64 = 4096 * 4096;
/// Longer sides are scaled down to this before storing.
pub const STORED_SIDE: u32 = 2000;

/// The three formats we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    WebP,
}

impl Kind {
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::WebP => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::WebP => "image/webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Kind> {
        match ext {
            "png" => Some(Kind::Png),
            "jpg" => Some(Kind::Jpeg),
            "webp" => Some(Kind::WebP),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Png => ImageFormat::Png,
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::WebP => ImageFormat::WebP,
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// Not one of the three formats, or a file that is something else as well.
    Unsupported,
    /// The picture is larger than [`MAX_SIDE`] / [`MAX_PIXELS`].
    TooManyPixels { width: u32, height: u32 },
    /// It claims to be an image but does not decode.
    Corrupt,
}

/// A cleaned image, ready to store.
#[derive(Debug)]
pub struct Cleaned {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The format the magic bytes announce, if it is one we accept.
pub fn sniff(data: &[u8]) -> Option<Kind> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(Kind::WebP)
    } else {
        None
    }
}

/// True when the file ends exactly where its image ends.
fn ends_cleanly(kind: Kind, data: &[u8]) -> bool {
    match kind {
        Kind::Png => {
            let mut pos = 8usize;
            while let Some(header) = data.get(pos..pos + 8) {
                let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
                let Some(next) = pos.checked_add(12).and_then(|p| p.checked_add(len)) else {
                    return false;
                };
                if &header[4..8] == b"IEND" {
                    return next == data.len();
                }
                pos = next;
            }
            false
        }
        Kind::Jpeg => data.ends_with(&[0xFF, 0xD9]),
        Kind::WebP => {
            let size = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
            size.checked_add(8) == Some(data.len())
        }
    }
}

/// True when markup a browser or interpreter would act on appears anywhere.
fn carries_markup(data: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 6] = [
        b"<script",
        b"<html",
        b"<svg",
        b"<?php",
        b"<!doctype",
        b"<iframe",
    ];
    NEEDLES
        .iter()
        .any(|n| data.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)))
}

fn too_many(width: u32, height: u32) -> bool {
    width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS
}

/// Checks an upload and re-encodes it in its own format.
///
/// # Errors
/// [`ImageError`] naming the first reason to refuse it.
pub fn clean(data: &[u8]) -> Result<Cleaned, ImageError> {
    let kind = sniff(data).ok_or(ImageError::Unsupported)?;
    if !ends_cleanly(kind, data) || carries_markup(data) {
        return Err(ImageError::Unsupported);
    }
    // Only the header is read here; no pixel buffer is allocated.
    let mut header = ImageReader::with_format(Cursor::new(data), kind.format());
    header.no_limits();
    let (width, height) = header.into_dimensions().map_err(|_| ImageError::Corrupt)?;
    if width == 0 || height == 0 {
        return Err(ImageError::Corrupt);
    }
    if too_many(width, height) {
        return Err(ImageError::TooManyPixels { width, height });
    }
    let mut reader = ImageReader::with_format(Cursor::new(data), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut picture = reader.decode().map_err(|_| ImageError::Corrupt)?;
    if picture.width().max(picture.height()) > STORED_SIDE {
        picture = picture.resize(
            STORED_SIDE,
            STORED_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let (width, height) = (picture.width(), picture.height());
    let mut bytes = Vec::new();
    let encoded = match kind {
        Kind::Png => picture.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png),
        Kind::Jpeg => DynamicImage::ImageRgb8(picture.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 85)),
        Kind::WebP => DynamicImage::ImageRgba8(picture.to_rgba8())
            .write_with_encoder(WebPEncoder::new_lossless(&mut bytes)),
    };
    encoded.map_err(|_| ImageError::Corrupt)?;
    Ok(Cleaned {
        kind,
        bytes,
        width,
        height,
    })
}

/// True for a name we could have generated: 32 lowercase hex digits and one of
/// our three extensions. Anything else (slashes, dots, `..`) is never a file.
pub fn stored_name(name: &str) -> Option<Kind> {
    let (stem, ext) = name.split_once('.')?;
    if stem.len() != 32 || !stem.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    Kind::from_extension(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(width, height)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn a_png_is_cleaned_and_keeps_its_size() {
        let c = clean(&png(30, 20)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((c.kind, c.width, c.height), (Kind::Png, 30, 20));
        assert_eq!(sniff(&c.bytes), Some(Kind::Png));
    }

    #[test]
    fn trailing_bytes_and_markup_are_refused() {
        let mut p = png(4, 4);
        p.extend_from_slice(b"<script>alert(1)</script>");
        assert!(matches!(clean(&p), Err(ImageError::Unsupported)));
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert!(carries_markup(b"xx<ScRiPt>"));
    }

    #[test]
    fn generated_names_only() {
        assert_eq!(
            stored_name("0123456789abcdef0123456789abcdef.png"),
            Some(Kind::Png)
        );
        assert_eq!(stored_name("../0123456789abcdef0123456789abcdef.png"), None);
        assert_eq!(stored_name("0123456789abcdef0123456789abcdef.svg"), None);
        assert_eq!(stored_name("0123456789abcdef0123456789abcdeF.png"), None);
    }
}
