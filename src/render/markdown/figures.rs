//! Figures: an image alone in a paragraph becomes a figure with its
//! caption and credit, or, with an empty destination, the record of a photo
//! the clipping did not keep.

use super::*;

impl<'c, 'e> Walker<'c, 'e> {
    /// A paragraph holding only an image becomes a `<figure>`. Returns the
    /// index of the paragraph's end event when it did.
    pub(super) fn try_figure(
        &mut self,
        events: &[(Event<'e>, Range<usize>)],
        start: usize,
    ) -> Option<usize> {
        let is_blank = |e: &Event<'_>| {
            matches!(e, Event::Text(t) if t.trim().is_empty()) || matches!(e, Event::SoftBreak)
        };
        let mut i = start + 1;
        while events.get(i).is_some_and(|(e, _)| is_blank(e)) {
            i += 1;
        }
        let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        ) = events.get(i)?
        else {
            return None;
        };
        let mut depth = 0;
        let mut caption = String::new();
        let mut j = i + 1;
        loop {
            match &events.get(j)?.0 {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => caption.push_str(t),
                _ => {}
            }
            j += 1;
        }
        let mut k = j + 1;
        while events.get(k).is_some_and(|(e, _)| is_blank(e)) {
            k += 1;
        }
        if !matches!(events.get(k)?.0, Event::End(TagEnd::Paragraph)) {
            return None;
        }
        self.flush_block();
        let missing = dest_url.trim().is_empty();
        let src = if missing {
            None
        } else {
            self.resolve(dest_url, range, "image")
        };
        let caption = caption.trim().to_string();
        let credit = title.trim().to_string();
        let mut html = String::from(if src.is_some() {
            "<figure class=\"figure\">\n"
        } else {
            "<figure class=\"figure figure-missing\">\n<div class=\"figure-placeholder\" aria-hidden=\"true\">Photo not included in the clipping</div>\n"
        });
        if let Some(src) = &src {
            html.push_str("<img src=\"");
            escape_href(&mut html, src).expect("invariant: String writes");
            html.push_str("\" alt=\"");
            escape_html(&mut html, &caption).expect("invariant: String writes");
            html.push_str("\" loading=\"lazy\">\n");
        }
        if !caption.is_empty() || !credit.is_empty() {
            html.push_str("<figcaption>");
            escape_html(&mut html, &caption).expect("invariant: String writes");
            if !credit.is_empty() {
                html.push_str(" <span class=\"credit\">");
                escape_html(&mut html, &credit).expect("invariant: String writes");
                html.push_str("</span>");
            }
            html.push_str("</figcaption>\n");
        }
        html.push_str("</figure>\n");
        self.out.push(Event::Html(CowStr::from(html)));
        if !credit.is_empty() || !caption.is_empty() {
            self.facts.figures.push(Credit {
                caption: (!caption.is_empty()).then_some(caption),
                credit,
            });
        }
        Some(k)
    }
}
