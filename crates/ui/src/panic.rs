//! A panic must not leave a dead, blank page: the hook logs it and shows a message in place.

use crate::i18n::Lang;

pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        super::dom::console_error(&format!("article-viewer crashed: {info}"));
        let Some(doc) = super::dom::document() else { return };
        let lang =
            Lang::from_tag(doc.document_element().map(|e| e.get_attribute("lang").unwrap_or_default()).as_deref());
        let Ok(el) = doc.create_element("div") else { return };
        el.set_class_name("av-error av-crash");
        let _ = el.set_attribute("role", "alert");
        // textContent, never innerHTML: the panic message may quote content.
        el.set_text_content(Some(lang.text().crashed));
        // Embeds show it inside themselves and never touch the host page.
        let embeds = super::embed::containers();
        if embeds.is_empty() {
            if let Some(t) = doc.get_element_by_id("article-viewer") {
                let _ = t.prepend_with_node_1(&el);
            }
        }
        for c in embeds {
            if let Ok(copy) = el.clone_node_with_deep(true) {
                let _ = c.prepend_with_node_1(&copy);
            }
        }
    }));
}
