//! Highlighted code in prerendered article pages. A code block with a language
//! (`<pre><code class="language-rust">`, as the Markdown renderer writes it) gets its tokens in
//! spans with a class each (`av-hl-k` for a keyword, …), coloured by [`STYLESHEET`], which the
//! build writes beside the pages and links only from the pages that have such spans. Grammars
//! are syntect's default set (Sublime Text's), matched in pure Rust (fancy-regex).
//!
//! The code's text is the components' own escaped HTML, read back and escaped again span by
//! span, so nothing in it becomes markup. A block too big to be worth it (more than
//! [`MAX_BLOCK_BYTES`], or a line longer than [`MAX_LINE_BYTES`]), the blocks after a page's
//! first [`MAX_PAGE_BYTES`] of code, a block cut in pieces by the renderer (`av-split`,
//! `av-cont`), a language the set does not know, and a block the grammar fails on stay plain,
//! as they were. So the work on any page is bounded (some grammars take time that grows with
//! the square of a line's length: a 16 KB block of 500-byte lines of `"\"\…` in YAML takes
//! about 0.4 s). The app in the browser shows code plain: the grammars
//! would weigh more than the whole app.

use std::cell::RefCell;
use std::sync::OnceLock;

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The colours of the highlighted tokens, light and dark.
pub const STYLESHEET: &str = include_str!("highlight.css");

/// Where the build writes [`STYLESHEET`], beside the pages' other files.
pub const FILE: &str = "highlight.css";

/// A code block with more text than this stays plain (the renderer cuts longer ones in pieces
/// anyway, which could not be highlighted as one).
pub const MAX_BLOCK_BYTES: usize = 16 * 1024;

/// A code block with a line longer than this (minified code, data) stays plain: the grammars'
/// patterns may take long on such a line.
pub const MAX_LINE_BYTES: usize = 500;

/// The code highlighted on one page: the blocks after this many bytes stay plain.
pub const MAX_PAGE_BYTES: usize = 128 * 1024;

/// The code blocks a page may highlight: whole ones (not pieces of a long one) with a class.
const CODE: &str = "pre:not(.av-split):not(.av-cont) > code[class]";
/// An element inside such a block: the block is not plain text, and is left as it is.
const INSIDE_CODE: &str = "pre:not(.av-split):not(.av-cont) > code[class] *";

/// `body` (a prerendered page's HTML) with its code blocks highlighted; `None` when it has no
/// block that could be (the page then needs no [`STYLESHEET`]).
pub fn highlight_page(body: &str) -> Option<String> {
    if !body.contains("class=\"language-") {
        return None;
    }
    let mut budget = MAX_PAGE_BYTES;
    let blocks: Vec<Option<String>> = code_blocks(body)?
        .iter()
        .map(|b| {
            let html = b.highlighted(budget)?;
            budget = budget.saturating_sub(b.raw.len());
            Some(html)
        })
        .collect();
    if blocks.iter().all(Option::is_none) {
        return None;
    }
    let next = std::cell::Cell::new(0usize);
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!(CODE, |el| {
            let i = next.replace(next.get() + 1);
            if let Some(Some(html)) = blocks.get(i) {
                el.set_inner_content(html, ContentType::Html);
            }
            Ok(())
        })],
        ..RewriteStrSettings::default()
    };
    rewrite_str(body, settings).ok()
}

/// The `<link>` to [`STYLESHEET`] for a page `depth` folders below the site's root, versioned
/// by its bytes (as `site.css` is).
pub fn link(depth: usize) -> String {
    static VERSION: OnceLock<u64> = OnceLock::new();
    let version = VERSION.get_or_init(|| {
        use article_viewer_publish::outdir::{fnv64, FNV_SEED};
        fnv64(FNV_SEED, STYLESHEET.as_bytes())
    });
    format!("<link rel=\"stylesheet\" href=\"{}{FILE}?v={version:016x}\">", "../".repeat(depth))
}

/// One code block as the page has it: its class and its text (still escaped).
struct Block {
    class: String,
    raw: String,
    /// It holds elements, not only text, or more text than is highlighted: it stays as it is.
    plain: bool,
}

/// The page's code blocks, in order (the same selector finds them again to put them back).
fn code_blocks(body: &str) -> Option<Vec<Block>> {
    let blocks = RefCell::new(Vec::new());
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!(CODE, |el| {
                let class = el.get_attribute("class").unwrap_or_default();
                blocks.borrow_mut().push(Block { class, raw: String::new(), plain: false });
                Ok(())
            }),
            element!(INSIDE_CODE, |_| {
                if let Some(b) = blocks.borrow_mut().last_mut() {
                    b.plain = true;
                }
                Ok(())
            }),
            text!(CODE, |chunk| {
                if let Some(b) = blocks.borrow_mut().last_mut().filter(|b| !b.plain) {
                    // Escaped, a character takes at most 5 bytes (`&amp;`): no more is read.
                    if b.raw.len() + chunk.as_str().len() > MAX_BLOCK_BYTES * 5 {
                        (b.plain, b.raw) = (true, String::new());
                    } else {
                        b.raw.push_str(chunk.as_str());
                    }
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::default()
    };
    rewrite_str(body, settings).ok()?;
    Some(blocks.into_inner())
}

impl Block {
    /// The block highlighted, if its code is at most `budget` bytes (and [`highlight`] can).
    fn highlighted(&self, budget: usize) -> Option<String> {
        let lang = self.class.split_whitespace().find_map(|c| c.strip_prefix("language-"))?;
        if self.plain {
            return None;
        }
        let code = html_escape::decode_html_entities(&self.raw);
        if code.len() > budget {
            return None;
        }
        highlight(&code, lang)
    }
}

/// `code` in `lang` as HTML: escaped text, with the tokens that have a colour in spans. `None`
/// when it stays plain: an unknown language, too big a block or line, a grammar that fails, or
/// nothing to colour.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    if code.len() > MAX_BLOCK_BYTES {
        return None;
    }
    let set = syntaxes();
    let syntax = syntax_for(set, lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut spans = Spans::default();
    for line in LinesWithEndings::from(code) {
        if line.len() > MAX_LINE_BYTES {
            return None;
        }
        let ops = state.parse_line(line, set).ok()?;
        for (range, op) in ScopeRangeIterator::new(&ops, line) {
            stack.apply(op).ok()?;
            if let Some(text) = line.get(range).filter(|t| !t.is_empty()) {
                spans.push(class_of(&stack), text);
            }
        }
    }
    spans.finish()
}

/// The grammars, read once (on the first page with code) and shared by every thread.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The grammar for a code block's language: its file extension or its name (`rs`, `rust`),
/// or a common other name for one the set has.
fn syntax_for<'a>(set: &'a SyntaxSet, lang: &str) -> Option<&'a SyntaxReference> {
    let lang = lang.to_ascii_lowercase();
    let token = match lang.as_str() {
        // TypeScript is not in the set; JavaScript's grammar reads most of it.
        "javascript" | "ts" | "typescript" | "tsx" | "jsx" | "mjs" | "cjs" | "node" => "js",
        "shell" | "bash" | "zsh" | "shellscript" | "sh-session" => "sh",
        "python3" | "py3" => "py",
        "c++" | "cxx" => "cpp",
        "golang" => "go",
        "jsonc" | "json5" => "json",
        "html5" | "xhtml" => "html",
        "patch" => "diff",
        "text" | "txt" | "plain" | "plaintext" => return None,
        other => other,
    };
    set.find_syntax_by_token(token)
}

/// A token's class: the innermost of its scopes that [`RULES`] names decides (`None`: plain).
fn class_of(stack: &ScopeStack) -> Option<char> {
    let rules = rules();
    stack.as_slice().iter().rev().find_map(|scope| rules.iter().find(|(p, _)| p.is_prefix_of(*scope)).map(|r| r.1))?
}

/// Scope names (prefixes, the first that matches wins) and the class their tokens get; a
/// class of `None` leaves the token plain (operators).
const RULES: &[(&str, Option<char>)] = &[
    ("comment", Some('c')),
    ("string", Some('s')),
    ("constant", Some('n')),
    ("keyword.operator.word", Some('k')),
    ("keyword.operator", None),
    ("keyword", Some('k')),
    ("storage", Some('k')),
    ("variable.language", Some('k')),
    ("variable.function", Some('f')),
    ("entity.name.function", Some('f')),
    ("support.function", Some('f')),
    ("entity.name.tag", Some('a')),
    ("support.type.property-name", Some('a')),
    ("entity.other.attribute-name", Some('n')),
    ("entity.other.inherited-class", Some('t')),
    ("entity.name", Some('t')),
    ("support.type", Some('t')),
    ("support.class", Some('t')),
    ("support.constant", Some('n')),
    ("markup.inserted", Some('i')),
    ("markup.deleted", Some('d')),
    ("markup.heading", Some('k')),
    ("meta.diff.range", Some('f')),
    ("meta.diff.header", Some('t')),
];

fn rules() -> &'static [(Scope, Option<char>)] {
    static BUILT: OnceLock<Vec<(Scope, Option<char>)>> = OnceLock::new();
    BUILT.get_or_init(|| RULES.iter().filter_map(|(name, class)| Some((Scope::new(name).ok()?, *class))).collect())
}

/// The highlighted HTML being written: text escaped, runs of one class in one span (spaces
/// between two tokens of a class stay in its span; others stay out of spans).
#[derive(Default)]
struct Spans {
    html: String,
    open: Option<char>,
    /// Spaces after the open span's last token, written when the next token's class is known.
    blank: String,
    coloured: bool,
}

impl Spans {
    fn push(&mut self, class: Option<char>, text: &str) {
        if text.chars().all(char::is_whitespace) {
            self.blank.push_str(text);
            return;
        }
        if class != self.open {
            self.close();
            html_escape::encode_text_to_string(&self.blank, &mut self.html);
            self.blank.clear();
            if let Some(c) = class {
                self.html.push_str("<span class=\"av-hl-");
                self.html.push(c);
                self.html.push_str("\">");
                self.coloured = true;
            }
            self.open = class;
        }
        html_escape::encode_text_to_string(&self.blank, &mut self.html);
        self.blank.clear();
        html_escape::encode_text_to_string(text, &mut self.html);
    }

    /// Ends the open span, before the spaces that follow it.
    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) -> Option<String> {
        self.close();
        self.html.push_str(&self.blank);
        self.coloured.then_some(self.html)
    }
}

#[cfg(test)]
mod tests;
