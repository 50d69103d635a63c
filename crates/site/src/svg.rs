//! SVG pictures as passive pictures. An SVG opened by its own address is a document of the
//! site's origin, so one that carries script could act as the site. Before one is published it
//! is rewritten, as a stream (memory stays a small multiple of the file), without anything
//! that runs or loads: script, `foreignObject` and other embedded documents, event handler
//! attributes, animations that set links or handlers, processing instructions (style sheets),
//! document types (entities), and every reference that is not to the picture itself (`href`,
//! `url(…)`, `@import`). A file that is not well-formed XML, or whose root is not `<svg>`, is
//! not published.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// What [`sanitise`] made of a file.
#[derive(Debug, PartialEq, Eq)]
pub struct Clean {
    pub bytes: Vec<u8>,
    /// What was taken out, each once, in the order first met (`<script>`, `onload`, …).
    pub removed: Vec<String>,
}

/// Elements that run, embed another document, or play media: left out with their content.
const DROPPED: &[&[u8]] = &[
    b"script",
    b"foreignobject",
    b"iframe",
    b"embed",
    b"object",
    b"audio",
    b"video",
    b"handler",
    b"listener",
    b"discard",
];

/// Elements that change an attribute over time (`<set attributeName="href" to="javascript:…">`).
const ANIMATIONS: &[&[u8]] = &[b"set", b"animate", b"animatetransform", b"animatemotion", b"animatecolor"];

/// The picture without anything active, or why it cannot be published.
pub fn sanitise(bytes: &[u8]) -> Result<Clean, String> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new(Vec::with_capacity(bytes.len()));
    let mut removed = Vec::new();
    let mut skipping = 0usize;
    let mut seen_root = false;
    // A `<style>` element's text is held until its end, to be judged whole.
    let mut style: Option<(BytesStart<'static>, String)> = None;
    loop {
        let event =
            reader.read_event().map_err(|e| format!("not well-formed XML at byte {}: {e}", reader.error_position()))?;
        if skipping > 0 {
            skipping = match event {
                Event::Start(_) => skipping + 1,
                Event::End(_) => skipping - 1,
                Event::Eof => return Err("not well-formed XML: the file ends inside an element".into()),
                _ => skipping,
            };
            continue;
        }
        if let Some((_, text)) = style.as_mut() {
            match &event {
                // Kept as written (escaped), judged unescaped.
                Event::Text(t) => text.push_str(t.as_ref()),
                Event::CData(t) => text.push_str(&quick_xml::escape::escape(t.as_ref())),
                Event::GeneralRef(r) => {
                    text.push('&');
                    text.push_str(r.as_ref());
                    text.push(';');
                }
                Event::End(_) => {
                    if let Some((start, text)) = style.take() {
                        write_style(&mut writer, start, &text, &mut removed)?;
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) | Event::Empty(e) if !seen_root && !is(&e, b"svg") => {
                let _ = e;
                return Err("not an SVG picture: its root element is not <svg>".into());
            }
            Event::Start(e) => {
                seen_root = true;
                match keep(&e, &mut removed) {
                    Some(start) if is(&start, b"style") => style = Some((start.into_owned(), String::new())),
                    Some(start) => write(&mut writer, Event::Start(start))?,
                    None => skipping = 1,
                }
            }
            Event::Empty(e) => {
                seen_root = true;
                if let Some(start) = keep(&e, &mut removed) {
                    write(&mut writer, Event::Empty(start))?;
                }
            }
            Event::PI(_) => note(&mut removed, "processing instructions"),
            Event::DocType(d) => {
                if d.as_ref().as_bytes().windows(8).any(|w| w.eq_ignore_ascii_case(b"<!entity")) {
                    return Err("declares entities in its document type; save it without a DOCTYPE".into());
                }
                note(&mut removed, "the document type");
            }
            Event::Comment(_) => {}
            Event::Eof => break,
            other => write(&mut writer, other)?,
        }
    }
    if !seen_root {
        return Err("not an SVG picture: no <svg> element".into());
    }
    Ok(Clean { bytes: writer.into_inner(), removed })
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event<'_>) -> Result<(), String> {
    writer.write_event(event).map_err(|e| format!("could not be rewritten: {e}"))
}

fn note(removed: &mut Vec<String>, what: &str) {
    if !removed.iter().any(|r| r == what) {
        removed.push(what.to_string());
    }
}

fn local(name: &str) -> Vec<u8> {
    let local = name.rsplit(':').next().unwrap_or(name);
    local.as_bytes().to_ascii_lowercase()
}

fn is(e: &BytesStart<'_>, name: &[u8]) -> bool {
    local(e.name().as_ref()) == name
}

/// The element with only passive attributes, or `None` when the element goes whole.
fn keep<'a>(e: &'a BytesStart<'a>, removed: &mut Vec<String>) -> Option<BytesStart<'a>> {
    let name = local(e.name().as_ref());
    if DROPPED.contains(&name.as_slice()) {
        note(removed, &format!("<{}>", e.name().as_ref()));
        return None;
    }
    let attributes: Vec<Attribute<'a>> = e.attributes().with_checks(false).flatten().collect();
    if ANIMATIONS.contains(&name.as_slice()) && attributes.iter().any(animates_something_active) {
        note(removed, "an animation of a link or handler");
        return None;
    }
    let mut out = BytesStart::new(Cow::Borrowed(e.name().into_inner()));
    for attribute in attributes {
        match passive(&attribute) {
            Ok(()) => out.push_attribute(attribute),
            Err(why) => note(removed, &why),
        }
    }
    Some(out)
}

fn animates_something_active(a: &Attribute<'_>) -> bool {
    let key = local(a.key.as_ref());
    let value = unescaped(a).to_ascii_lowercase();
    let value = value.trim_ascii();
    key == b"attributename" && (value.ends_with(b"href") || value.starts_with(b"on"))
}

/// The attribute's value as a browser reads it (character references resolved), without
/// white space, lowercase. One that cannot be read (an unknown entity) reads as `javascript:`,
/// so that it never passes.
fn unescaped(a: &Attribute<'_>) -> Vec<u8> {
    match a.normalized_value(quick_xml::XmlVersion::Explicit1_0) {
        Ok(v) => v.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| b.to_ascii_lowercase()).collect(),
        Err(_) => b"javascript:".to_vec(),
    }
}

/// Whether an attribute may stay: `Err` names what it was.
fn passive(a: &Attribute<'_>) -> Result<(), String> {
    let key = local(a.key.as_ref());
    let shown = || a.key.as_ref().to_string();
    if key.starts_with(b"on") {
        return Err(shown());
    }
    let value = unescaped(a);
    if key == b"href" || key == b"src" {
        return if value.starts_with(b"#") || is_raster_data(&value) {
            Ok(())
        } else {
            Err(format!("{} to another file", shown()))
        };
    }
    // A backslash could be a CSS escape spelling `url(` in a style or presentation attribute.
    if key == b"base" || contains(&value, b"javascript:") || has_outside_reference(&value) || value.contains(&b'\\') {
        return Err(shown());
    }
    Ok(())
}

/// A picture carried in the file itself, of a kind that cannot hold script.
fn is_raster_data(value: &[u8]) -> bool {
    [&b"data:image/png"[..], b"data:image/jpeg", b"data:image/gif", b"data:image/webp", b"data:image/avif"]
        .iter()
        .any(|p| value.starts_with(p))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `url(…)` to anything but a part of the picture (`url(#grad)`), or `@import` (lowercase,
/// without white space).
fn has_outside_reference(value: &[u8]) -> bool {
    if contains(value, b"@import") {
        return true;
    }
    let mut rest = value;
    while let Some(at) = rest.windows(4).position(|w| w == b"url(") {
        let arg = &rest[at + 4..];
        let arg = arg.strip_prefix(b"'").or_else(|| arg.strip_prefix(b"\"")).unwrap_or(arg);
        if !arg.starts_with(b"#") {
            return true;
        }
        rest = &rest[at + 4..];
    }
    false
}

/// A `<style>` element, kept only when its rules refer to nothing outside the picture.
fn write_style(
    writer: &mut Writer<Vec<u8>>,
    start: BytesStart<'static>,
    text: &str,
    removed: &mut Vec<String>,
) -> Result<(), String> {
    let read = quick_xml::escape::unescape(text).map(|t| t.into_owned()).unwrap_or_else(|_| "@import".into());
    let flat: Vec<u8> = read.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| b.to_ascii_lowercase()).collect();
    // CSS escapes (`\75rl(`) could spell what the plain search looks for: a backslash is refused.
    if has_outside_reference(&flat)
        || contains(&flat, b"javascript:")
        || contains(&flat, b"expression(")
        || flat.contains(&b'\\')
    {
        note(removed, "a <style> that loads other files");
        return Ok(());
    }
    let end = start.to_end().into_owned();
    write(writer, Event::Start(start))?;
    write(writer, Event::Text(quick_xml::events::BytesText::from_escaped(text)))?;
    write(writer, Event::End(end))
}

/// Width and height from the root `<svg>` element, read as a stream: only the start of the
/// file is read, however large it is (a picture whose root is not in its first MB has none).
pub fn size(reader: impl std::io::BufRead) -> Option<(Option<String>, Option<String>, Option<String>)> {
    const LOOK: u64 = 1 << 20;
    let mut reader = Reader::from_reader(reader);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                if !is(&e, b"svg") {
                    return None;
                }
                let get = |name: &[u8]| {
                    e.attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.as_ref().as_bytes() == name)
                        .map(|a| a.value.into_owned())
                };
                return Some((get(b"width"), get(b"height"), get(b"viewBox")));
            }
            Event::Eof => return None,
            _ if reader.buffer_position() > LOOK => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
