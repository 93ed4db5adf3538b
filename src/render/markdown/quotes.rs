//! Attributed quotes: a blockquote whose last paragraph starts with an em
//! dash is a quote by the actor that line names.

use super::*;

impl<'c, 'e> Walker<'c, 'e> {
    pub(super) fn end_quote(&mut self) {
        self.flush_block();
        self.containers.pop();
        let Some(quote) = self.quotes.pop() else {
            return;
        };
        let attribution = quote.paragraphs.last().and_then(|(_, _, text)| {
            let text = text.trim_start();
            ["—", "―", "--", "– "]
                .iter()
                .find_map(|dash| text.strip_prefix(dash))
                .map(|rest| rest.trim().to_string())
        });
        match attribution {
            Some(attribution) if quote.paragraphs.len() >= 2 && !attribution.is_empty() => {
                let (start, end, _) = quote.paragraphs[quote.paragraphs.len() - 1];
                self.out[start] =
                    Event::Html(CowStr::Borrowed("<footer class=\"quote-attribution\">"));
                self.out[end] = Event::Html(CowStr::Borrowed("</footer>\n"));
                self.out[quote.out_start] =
                    Event::Html(CowStr::Borrowed("<blockquote class=\"quote\">\n"));
                let by = self
                    .ctx
                    .matcher
                    .find(&attribution)
                    .first()
                    .map(|(_, actor)| *actor)
                    .filter(|actor| Some(*actor) != self.body.self_actor);
                let text = quote.paragraphs[..quote.paragraphs.len() - 1]
                    .iter()
                    .map(|(_, _, t)| t.trim())
                    .collect::<Vec<_>>()
                    .join("\n\n");
                self.facts.quotes.push(BodyQuote {
                    by,
                    attribution,
                    text,
                });
            }
            _ => self.out[quote.out_start] = Event::Start(Tag::BlockQuote(None)),
        }
        self.out.push(Event::End(TagEnd::BlockQuote(None)));
    }
}
