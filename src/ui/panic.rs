//! A panic must not leave a dead, blank page: the hook logs it and shows a message in place.

use crate::i18n::Lang;

pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        super::dom::console_error(&format!("article-viewer crashed: {info}"));
        let Some(doc) = super::dom::document() else { return };
        let lang = Lang::from_tag(doc.document_element().map(|e| e.get_attribute("lang").unwrap_or_default()).as_deref());
        let Ok(el) = doc.create_element("div") else { return };
        el.set_class_name("av-error av-crash");
        let _ = el.set_attribute("role", "alert");
        // textContent, never innerHTML: the panic message may quote content.
        el.set_text_content(Some(lang.text().crashed));
        let target = doc.get_element_by_id("article-viewer").or_else(|| doc.body().map(Into::into));
        if let Some(t) = target {
            let _ = t.prepend_with_node_1(&el);
        }
    }));
}
