//! What the reader sees before a document is there: loading, or why it is not.

use yew::prelude::*;

use crate::i18n::Lang;
use crate::source::LoadError;

// Plain functions rather than components: they hold no state, and each component costs
// the wasm a copy of Yew's lifecycle code.

pub fn loading_view(lang: Lang) -> Html {
    html! {
        <div class="av-loading" role="status" aria-live="polite" aria-busy="true">
            <span class="av-spinner" aria-hidden="true"></span>
            { lang.text().loading }
        </div>
    }
}

pub fn error_view(error: &LoadError, lang: Lang, on_retry: &Callback<()>) -> Html {
    let text = lang.text();
    let retry = on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="av-error" role="alert" lang={lang.tag()}>
            <h1 class="av-error-title">{ text.error_title }</h1>
            <p class="av-error-message">{ error.message(lang) }</p>
            <p class="av-error-where"><code>{ error.url().to_string() }</code></p>
            <button type="button" class="av-button av-retry" onclick={retry}>{ text.retry }</button>
        </div>
    }
}
