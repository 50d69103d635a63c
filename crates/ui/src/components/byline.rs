//! Who wrote it and when: authors with their titles and avatars, dates written for the
//! document's language, and the reading time.

use yew::prelude::*;

use super::Links;
use crate::format::{Author, Date};
use crate::i18n::Lang;
use crate::site::{author_doc, page_for_doc};
use crate::urls::{resolve, safe_resolved, UrlKind};

/// A byline's parts. A plain function renders it, not a component: it keeps no state, and
/// each component type costs the wasm a copy of Yew's lifecycle code.
pub struct Byline<'a> {
    pub authors: &'a [Author],
    pub published: Option<&'a Date>,
    pub updated: Option<&'a Date>,
    pub minutes: Option<u32>,
    pub lang: Lang,
    pub links: Links<'a>,
    /// Cards show names without links or avatars: the card is a link already.
    pub compact: bool,
}

/// A `<time>`: the published date, or (`updated`) the date it was last changed. Literal class
/// values: a computed `class` goes through Yew's Classes set, code the wasm otherwise does without.
pub fn date(d: &Date, lang: Lang, updated: bool) -> Html {
    let (raw, text) = (d.raw.clone(), d.at.format_date(lang));
    if updated {
        html! { <time class="av-updated-date" datetime={raw}>{ text }</time> }
    } else {
        html! { <time class="av-published" datetime={raw}>{ text }</time> }
    }
}

/// A Korean article's stamps, as Korean news sites write them: "입력 2025.10.21 09:00", and
/// "수정 2025.10.21 10:30" when it changed after, in the publisher's offset.
fn stamps(published: Option<&Date>, updated: Option<&Date>) -> Html {
    let text = Lang::Ko.text();
    let stamp = |d: &Date| d.at.format_stamp(d.raw.trim().len() > 10);
    let updated = updated.filter(|u| published.is_none_or(|p| u.at.unix_seconds() > p.at.unix_seconds()));
    html! {
        <>
            if let Some(p) = published {
                <span class="av-stamp">{ format!("{} ", text.filed) }<time class="av-published" datetime={p.raw.clone()}>{ stamp(p) }</time></span>
            }
            if let Some(u) = updated {
                <span class="av-stamp av-updated">{ format!("{} ", text.updated) }<time class="av-updated-date" datetime={u.raw.clone()}>{ stamp(u) }</time></span>
            }
        </>
    }
}

pub fn byline(props: &Byline<'_>) -> Html {
    let base = Some(props.links.base);
    let text = props.lang.text();
    let author = |a: &Author| {
        // On a published site a name leads to the author's pages; elsewhere to the address given.
        let site = props.links.config.site.as_ref();
        let page = site.map(|s| page_for_doc(&resolve(&s.collection, &author_doc(&a.name))));
        let name = match page.or_else(|| a.url.as_deref().and_then(|u| safe_resolved(u, UrlKind::Link, base))) {
            Some(href) if !props.compact => {
                let rel = if props.links.external(&href) { "noopener noreferrer author" } else { "author" };
                html! {
                    <a class="av-author-name" href={props.links.href(&href)} {rel} dir="auto">{ a.name.clone() }</a>
                }
            }
            _ => html! { <span class="av-author-name" dir="auto">{ a.name.clone() }</span> },
        };
        let avatar = a
            .avatar
            .as_deref()
            .filter(|_| !props.compact)
            .and_then(|s| safe_resolved(s, UrlKind::Image, base))
            .map(|src| html! { <img class="av-avatar" src={props.links.href(&src)} alt="" width="32" height="32" loading="lazy" decoding="async" /> });
        html! {
            <li class="av-author">
                { for avatar }
                { name }
                if let Some(t) = &a.title { { " " }<span class="av-author-title" dir="auto">{ t.clone() }</span> }
            </li>
        }
    };
    let updated = props.updated.filter(|u| props.published.is_none_or(|p| p.at.iso_date() != u.at.iso_date()));
    html! {
        <div class="av-byline">
            if !props.authors.is_empty() {
                <ul class="av-authors" aria-label={text.by}>{ for props.authors.iter().map(author) }</ul>
            }
            <p class="av-meta">
                if props.lang == Lang::Ko && !props.compact {
                    { stamps(props.published, props.updated) }
                } else {
                    if let Some(p) = props.published { { date(p, props.lang, false) } }
                    if let Some(u) = updated {
                        <span class="av-updated">{ format!("{} ", text.updated) }{ date(u, props.lang, true) }</span>
                    }
                }
                if let Some(m) = props.minutes { <span class="av-reading-time">{ text.reading_time(m) }</span> }
            </p>
        </div>
    }
}
