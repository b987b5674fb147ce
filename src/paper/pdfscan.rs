//! A scanner's PDF: one page image per sheet, taken out as it is (a JPEG stays the JPEG the
//! scanner wrote) or, for raw pixels, made into a PNG. No PDF is rasterized: a scanner's page
//! is its image.

use image::{GrayImage, ImageFormat, RgbImage};
use lopdf::{Document, Object};

use crate::i18n::Text;

/// No page image of a scanner's PDF inflates beyond this (an A4 page at 600 dpi in colour is
/// about 105 MB): a small crafted file cannot take gigabytes of memory.
const MAX_INFLATED: usize = 128 * 1024 * 1024;
/// More pages than any stack of papers at one count.
const MAX_PAGES: usize = 4000;

/// The page images of `bytes`, in page order, each as an image file's bytes and extension.
/// A page holding no image, or several, is refused: it is not a scanned sheet. Every size the
/// file states is checked before it is believed: its pages, each image's width and height (an
/// A4 page at 100–600 dpi), and the pixels its stream holds (exactly what they say).
pub fn page_images(bytes: &[u8]) -> Result<Vec<(Vec<u8>, &'static str)>, Text> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED),
        ..lopdf::LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| {
        Text::new(
            format!("PDF 文件读不出:{e}"),
            format!("the PDF cannot be read: {e}"),
        )
    })?;
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(Text::new(
            format!("PDF 有 {} 页,远超一次计票的选票张数", pages.len()),
            format!(
                "the PDF has {} pages, far more than the papers of any count",
                pages.len()
            ),
        ));
    }
    let mut out = Vec::new();
    for (n, page) in pages {
        let images = doc.get_page_images(page).map_err(|e| {
            Text::new(
                format!("PDF 第 {n} 页的图像读不出:{e}"),
                format!("page {n} of the PDF: its image cannot be read: {e}"),
            )
        })?;
        let [img] = images.as_slice() else {
            return Err(Text::new(
                format!(
                    "PDF 第 {n} 页有 {} 个图像,不是扫描仪的一页一图(请把扫描仪设为图像 PDF,或存为 JPEG/PNG/TIFF)",
                    images.len()
                ),
                format!(
                    "page {n} of the PDF holds {} images, not one scanned page (set the scanner to image PDF, or to JPEG/PNG/TIFF)",
                    images.len()
                ),
            ));
        };
        let filters = img.filters.clone().unwrap_or_default();
        let unsupported = |what: &str| {
            Text::new(
                format!("PDF 第 {n} 页的图像编码 {what} 不支持:请把扫描仪设为灰度或彩色 JPEG"),
                format!(
                    "page {n} of the PDF: image encoding {what} is not supported; set the scanner to grey or colour JPEG"
                ),
            )
        };
        let page_err = |t: Text| {
            Text::new(
                format!("PDF 第 {n} 页:{}", t.zh),
                format!("page {n} of the PDF: {}", t.en),
            )
        };
        let (Ok(w), Ok(h)) = (u32::try_from(img.width), u32::try_from(img.height)) else {
            return Err(unsupported("(size)"));
        };
        a4_size(u64::from(w), u64::from(h)).map_err(page_err)?;
        match filters
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["DCTDecode"] => out.push((img.content.to_vec(), "jpg")),
            [] | ["FlateDecode"] => {
                let raw = match doc.get_object(img.id) {
                    Ok(Object::Stream(s)) if !filters.is_empty() => s
                        .decompressed_content_with_limit(MAX_INFLATED)
                        .map_err(|_| unsupported("FlateDecode"))?,
                    _ => img.content.to_vec(),
                };
                let bpc = img.bits_per_component.unwrap_or(8);
                let space = img.color_space.as_deref().unwrap_or("DeviceGray");
                let channels = match (space, bpc) {
                    ("DeviceGray", 8) => 1,
                    ("DeviceRGB", 8) => 3,
                    _ => return Err(unsupported(&format!("{space} {bpc} bit"))),
                };
                // The stream must hold exactly the pixels the page says: more or fewer is a
                // damaged or crafted file, not a scan.
                let want = u64::from(w) * u64::from(h) * channels;
                if raw.len() as u64 != want {
                    return Err(page_err(Text::new(
                        format!(
                            "图像数据有 {} 字节,而 {w}×{h} 像素应有 {want} 字节:文件已损坏",
                            raw.len()
                        ),
                        format!(
                            "its image data has {} bytes where {w}×{h} pixels take {want}: the file is damaged",
                            raw.len()
                        ),
                    )));
                }
                let png = if channels == 1 {
                    GrayImage::from_raw(w, h, raw).map(image::DynamicImage::from)
                } else {
                    RgbImage::from_raw(w, h, raw).map(image::DynamicImage::from)
                }
                .ok_or_else(|| unsupported("FlateDecode (size)"))?;
                let mut buf = Vec::new();
                png.write_to(&mut std::io::Cursor::new(&mut buf), ImageFormat::Png)
                    .map_err(|_| unsupported("PNG"))?;
                out.push((buf, "png"));
            }
            other => return Err(unsupported(&other.join("+"))),
        }
    }
    if out.is_empty() {
        return Err(Text::new(
            "PDF 文件没有页面".to_string(),
            "the PDF has no pages".to_string(),
        ));
    }
    Ok(out)
}

/// A PDF as a scanner writes it: one page per image, each the size of its image at its dpi,
/// JPEG pages as DCTDecode, grey pixels as FlateDecode (for rehearsals and tests).
pub fn scanner_pdf(pages: &[(Vec<u8>, f32)]) -> Vec<u8> {
    use lopdf::{Dictionary, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (bytes, dpi) in pages {
        let dpi = *dpi;
        let is_jpeg = bytes.starts_with(&[0xFF, 0xD8]);
        let Ok(img) = image::load_from_memory(bytes) else {
            continue;
        };
        let (w, h) = (img.width(), img.height());
        let (content, filter) = if is_jpeg {
            (bytes.clone(), Some("DCTDecode"))
        } else {
            (img.to_luma8().into_raw(), None)
        };
        let mut dict: Dictionary = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(w),
            "Height" => i64::from(h),
            "ColorSpace" => if is_jpeg && img.color().has_color() { "DeviceRGB" } else { "DeviceGray" },
            "BitsPerComponent" => 8,
        };
        if let Some(f) = filter {
            dict.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        let mut stream = Stream::new(dict, content);
        if filter.is_none() {
            let _ = stream.compress();
        }
        let image_id = doc.add_object(stream);
        let (pw, ph) = (w as f32 * 72.0 / dpi, h as f32 * 72.0 / dpi);
        let ops = format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q");
        let content_id = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .expect("writing a PDF in memory does not fail");
    out
}

/// Whether `w` × `h` pixels can be an A4 page scanned at 100 to 600 dpi (a scanner bed a
/// little larger allowed): checked before any pixel is decoded, so that a crafted file cannot
/// exhaust the memory.
pub fn a4_size(w: u64, h: u64) -> Result<(), Text> {
    let (short, long) = (w.min(h) as f32, w.max(h) as f32);
    let dpi = short * 25.4 / 210.0;
    let ratio = long / short.max(1.0);
    if !(90.0..=650.0).contains(&dpi) || !(1.25..=1.6).contains(&ratio) {
        return Err(Text::new(
            format!("图像 {w}×{h} 像素不是一张 A4 纸在 100–600 dpi 下的扫描(请关闭自动裁切)"),
            format!(
                "an image of {w}×{h} pixels is not an A4 page scanned at 100–600 dpi (turn auto-crop off)"
            ),
        ));
    }
    Ok(())
}
