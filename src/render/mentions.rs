//! Finding actors in running text, and the sentence around a mention.
//!
//! Built once per build from the actor registry: every name and alias goes
//! into one Aho-Corasick automaton, searched leftmost-longest so that
//! "Russian Foreign Minister Sergei Lavrov" finds "Sergei Lavrov" and not
//! "Lavrov", and "Syrian Kurds" beats "Syrian". Matching is case-sensitive
//! (names are proper nouns; "us" must not match "US") and only whole words
//! count ("Russia" is not found in "Russians"). The Markdown renderer decides
//! *where* to look (never in code, links or headings); this module only
//! answers *what* is in a piece of text.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::model::{ActorId, Site};

/// Finds actor names and aliases in text.
#[derive(Debug, Clone, Default)]
pub struct MentionMatcher {
    automaton: Option<AhoCorasick>,
    actors: Vec<ActorId>,
}

impl MentionMatcher {
    /// Indexes every actor's name and aliases.
    pub fn new(site: &Site) -> MentionMatcher {
        let mut patterns = Vec::new();
        let mut actors = Vec::new();
        for actor in &site.actors {
            for name in std::iter::once(&actor.name).chain(&actor.aliases) {
                // One-letter names would match initials everywhere.
                if name.chars().count() >= 2 {
                    patterns.push(name.as_str());
                    actors.push(actor.id);
                }
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                // A full DFA: a few hundred names make a small table, and
                // every word of every article is searched.
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("invariant: names are plain strings")
        });
        MentionMatcher { automaton, actors }
    }

    /// Every whole-word mention in `text`, left to right, with its byte range.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, ActorId)> {
        let mut found = Vec::new();
        let Some(automaton) = &self.automaton else {
            return found;
        };
        let mut from = 0;
        while from < text.len() {
            let Some(m) = automaton.find(Input::new(text).span(from..text.len())) else {
                break;
            };
            if is_word_boundary(text, m.start(), m.end()) {
                found.push((m.start()..m.end(), self.actors[m.pattern().as_usize()]));
                from = m.end();
            } else {
                from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !is_word(before) && !is_word(after)
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 24] = [
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "St", "Jr", "Sr",
    "No", "vs", "etc", "e.g", "i.e", "Jan", "Feb", "Aug", "Sept", "Oct",
];

fn ends_sentence(text: &str, dot: usize) -> bool {
    let c = text[dot..].chars().next();
    if c != Some('.') {
        return matches!(c, Some('!' | '?'));
    }
    let word_start = text[..dot]
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| i + 1);
    let word = &text[word_start..dot];
    // "U.S." and initials ("J. Smith") are not sentence ends.
    let initial = word.chars().count() == 1 || word.contains('.');
    !initial && !ABBREVIATIONS.contains(&word)
}

/// The longest snippet kept, in characters.
const MAX_SNIPPET: usize = 320;

/// Where the sentences of a block of text end: each entry is the byte
/// just past a sentence's final punctuation (and any closing quotes).
/// Computed once per block, however many snippets it yields.
pub fn sentence_breaks(text: &str) -> Vec<usize> {
    let is_closer = |b: u8| matches!(b, b'"' | b'\'' | b')');
    let bytes = text.as_bytes();
    let mut breaks = Vec::new();
    // Sentence punctuation is ASCII, so byte positions are char boundaries;
    // scanning bytes avoids decoding every character of the block.
    for (i, &byte) in bytes.iter().enumerate() {
        if !matches!(byte, b'.' | b'!' | b'?') || !ends_sentence(text, i) {
            continue;
        }
        let mut end = i + 1;
        loop {
            let rest = &text[end..];
            if rest.as_bytes().first().is_some_and(|&b| is_closer(b)) {
                end += 1;
            } else if let Some(c) = rest.chars().next().filter(|c| matches!(c, '”' | '’' | '»'))
            {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        if text[end..].chars().next().is_none_or(char::is_whitespace) {
            breaks.push(end);
        }
    }
    breaks
}

/// The sentence of `text` that contains byte `offset`, trimmed to a readable
/// length around the offset.
pub fn sentence_around(text: &str, offset: usize) -> String {
    sentence_at(text, &sentence_breaks(text), offset)
}

/// [`sentence_around`] with the breaks already found.
pub fn sentence_at(text: &str, breaks: &[usize], offset: usize) -> String {
    let offset = offset.min(text.len());
    let after = breaks.partition_point(|&b| b <= offset);
    let start = if after == 0 { 0 } else { breaks[after - 1] };
    let end = breaks.get(after).copied().unwrap_or(text.len());
    let raw = &text[start..end];
    let sentence = raw.trim_start();
    let lead = raw.len() - sentence.len();
    let sentence = sentence.trim_end();
    if sentence.chars().count() <= MAX_SNIPPET {
        return sentence.to_string();
    }
    // Too long: keep a window around the mention.
    let local = offset.saturating_sub(start + lead).min(sentence.len());
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let at = chars.iter().position(|&(i, _)| i >= local).unwrap_or(0);
    let from = at.saturating_sub(MAX_SNIPPET / 3);
    let to = (from + MAX_SNIPPET).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(chars[from..to].iter().map(|&(_, c)| c));
    if to < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::load::{Loaded, parse_doc};
    use crate::model::{self, ModelOptions};

    fn matcher(actors: &[(&str, &str)]) -> (MentionMatcher, Site) {
        let loaded = Loaded {
            actors: actors
                .iter()
                .map(|(slug, yaml)| {
                    parse_doc(
                        &format!("content/actors/{slug}.md"),
                        format!("---\n{yaml}\n---\n"),
                    )
                    .unwrap()
                })
                .collect(),
            ..Loaded::default()
        };
        let (site, _) = model::build(loaded, SiteConfig::for_tests(), ModelOptions::default());
        (MentionMatcher::new(&site), site)
    }

    fn names(site: &Site, found: &[(Range<usize>, ActorId)], text: &str) -> Vec<String> {
        found
            .iter()
            .map(|(r, id)| format!("{}={}", &text[r.clone()], site.actors[id.index()].slug))
            .collect()
    }

    #[test]
    fn longest_match_wins() {
        let (m, site) = matcher(&[
            (
                "russia",
                "name: Russia\nkind: country\naliases: [Russian, Moscow]",
            ),
            (
                "sergei-lavrov",
                "name: Sergei Lavrov\nkind: person\naliases: [Lavrov]",
            ),
            ("syrian-kurds", "name: Syrian Kurds\nkind: group"),
            ("syria", "name: Syria\nkind: country\naliases: [Syrian]"),
        ]);
        let text =
            "Russian Foreign Minister Sergei Lavrov met the Syrian Kurds; Lavrov left Moscow.";
        assert_eq!(
            names(&site, &m.find(text), text),
            [
                "Russian=russia",
                "Sergei Lavrov=sergei-lavrov",
                "Syrian Kurds=syrian-kurds",
                "Lavrov=sergei-lavrov",
                "Moscow=russia"
            ]
        );
    }

    #[test]
    fn only_whole_words_and_exact_case() {
        let (m, site) = matcher(&[
            (
                "united-states",
                "name: United States\nkind: country\naliases: [US]",
            ),
            ("russia", "name: Russia\nkind: country"),
        ]);
        let text = "Russians, Belarussia, thus us USA — but the US-led talks and Russia's role.";
        assert_eq!(
            names(&site, &m.find(text), text),
            ["US=united-states", "Russia=russia"]
        );
    }

    #[test]
    fn a_failed_long_match_still_allows_a_later_one() {
        let (m, site) = matcher(&[("iran", "name: Iran\nkind: country")]);
        let text = "Iranian and Iran.";
        assert_eq!(names(&site, &m.find(text), text), ["Iran=iran"]);
    }

    #[test]
    fn sentence_around_finds_the_sentence() {
        let text =
            "Fighting resumed. Gen. Rudskoi of the U.S.-watched staff said “enough.” Then silence.";
        let at = text.find("Rudskoi").unwrap();
        assert_eq!(
            sentence_around(text, at),
            "Gen. Rudskoi of the U.S.-watched staff said “enough.”"
        );
        assert_eq!(sentence_around(text, 0), "Fighting resumed.");
        let last = text.find("silence").unwrap();
        assert_eq!(sentence_around(text, last), "Then silence.");
    }

    #[test]
    fn long_sentences_are_cut_around_the_mention() {
        let text = format!("{} Putin {}.", "word ".repeat(200), "more ".repeat(200));
        let snippet = sentence_around(&text, text.find("Putin").unwrap());
        assert!(snippet.contains("Putin"));
        assert!(snippet.starts_with('…') && snippet.ends_with('…'));
        assert!(snippet.chars().count() <= MAX_SNIPPET + 2);
    }
}
