//! What the reader sees before a document is there: loading, or why it is not.

use yew::prelude::*;

use crate::i18n::Lang;
use crate::source::LoadError;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    pub lang: Lang,
}

#[function_component(LoadingView)]
pub fn loading_view(props: &LoadingProps) -> Html {
    html! {
        <div class="av-loading" role="status" aria-live="polite" aria-busy="true">
            <span class="av-spinner" aria-hidden="true"></span>
            { props.lang.text().loading }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    pub error: LoadError,
    pub lang: Lang,
    pub on_retry: Callback<()>,
}

#[function_component(ErrorView)]
pub fn error_view(props: &ErrorProps) -> Html {
    let text = props.lang.text();
    let retry = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="av-error" role="alert" lang={props.lang.tag()}>
            <h1 class="av-error-title">{ text.error_title }</h1>
            <p class="av-error-message">{ props.error.message(props.lang) }</p>
            <p class="av-error-where"><code>{ props.error.url().to_string() }</code></p>
            <button type="button" class="av-button av-retry" onclick={retry}>{ text.retry }</button>
        </div>
    }
}
