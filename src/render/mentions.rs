//! Finding actors in running text, and the sentence around a mention.
//!
//! Built once per build from the actor registry: every name and alias goes
//! into one Aho-Corasick automaton, and at every place a word begins the
//! longest name there is taken, so that "Russian Foreign Minister Sergei
//! Lavrov" finds "Sergei Lavrov" and not "Lavrov", and "Syrian Kurds" beats
//! "Syrian". Matching is case-sensitive (names are proper nouns; "us" must
//! not match "US") and only whole words count ("Russia" is not found in
//! "Russians"). The Markdown renderer decides *where* to look (never in
//! code, links or headings); this module only answers *what* is in a piece
//! of text.

use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, PatternID};

use crate::model::{ActorId, Site};

/// Finds actor names and aliases in text.
#[derive(Debug, Clone, Default)]
pub struct MentionMatcher {
    automaton: Option<NFA>,
    actors: Vec<ActorId>,
    /// The bytes some name begins with: a search starts only at those.
    first_bytes: ByteSet,
}

/// A set of bytes, as a table.
#[derive(Debug, Clone)]
struct ByteSet([bool; 256]);

impl Default for ByteSet {
    fn default() -> ByteSet {
        ByteSet([false; 256])
    }
}

impl MentionMatcher {
    /// Indexes every actor's name and aliases.
    pub fn new(site: &Site) -> MentionMatcher {
        MentionMatcher::of_names(site.actors.iter().flat_map(|actor| {
            std::iter::once(&actor.name)
                .chain(&actor.aliases)
                .map(|name| (name.as_str(), actor.id))
        }))
    }

    /// Indexes names, each of its actor.
    fn of_names<'a>(names: impl Iterator<Item = (&'a str, ActorId)>) -> MentionMatcher {
        let mut patterns = Vec::new();
        let mut actors = Vec::new();
        let mut first_bytes = ByteSet::default();
        // One-letter names would match initials everywhere.
        for (name, actor) in names.filter(|(name, _)| name.chars().count() >= 2) {
            patterns.push(name);
            actors.push(actor);
            first_bytes.0[usize::from(name.as_bytes()[0])] = true;
        }
        let automaton = (!patterns.is_empty()).then(|| {
            // Walked only from where a word begins (see `find`), never
            // following a failure transition: a trie. A contiguous NFA packs
            // it densely; a full DFA's table of a few hundred names outgrew
            // the processor's caches, and both its build (on one core, before
            // any text) and its lookups cost more (measured at 1,000
            // articles: 18.7 M instructions to build against under 2 M, and
            // a fifth more cycles searching).
            NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                // Its own search is never run: no prefilter to make.
                .prefilter(false)
                .build(&patterns)
                .expect("invariant: names are plain strings")
        });
        MentionMatcher {
            automaton,
            actors,
            first_bytes,
        }
    }

    /// Every whole-word mention in `text`, left to right, with its byte range.
    ///
    /// A mention begins where no word character comes before it: the
    /// automaton is walked only from there, and only from a byte some name
    /// begins with. The longest name found there counts if it ends a word
    /// too; else nothing begins there (a shorter name is not tried: "Syria"
    /// is not found in "Syrian Kurdsx", as a leftmost-longest search over
    /// the whole text would not find it either).
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, ActorId)> {
        let mut found = Vec::new();
        let Some(automaton) = &self.automaton else {
            return found;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        // Only bytes a name begins with are looked at (a name is valid
        // UTF-8, so each is where a character begins).
        while let Some(skipped) = bytes[at..]
            .iter()
            .position(|&b| self.first_bytes.0[usize::from(b)])
        {
            at += skipped;
            if !ends_in_word(&text[..at])
                && let Some((end, pattern)) = longest_name_at(automaton, bytes, at)
                && !text[end..].chars().next().is_some_and(is_word_char)
            {
                found.push((at..end, self.actors[pattern.as_usize()]));
                at = end;
            } else {
                at += 1;
            }
        }
        found
    }
}

/// The end and pattern of the longest name in `automaton` that begins at
/// `start` in `bytes`.
fn longest_name_at(automaton: &NFA, bytes: &[u8], start: usize) -> Option<(usize, PatternID)> {
    let mut state = automaton.start_state(Anchored::Yes).ok()?;
    let mut longest = None;
    for (at, &byte) in (start..).zip(&bytes[start..]) {
        state = automaton.next_state(Anchored::Yes, state, byte);
        if automaton.is_special(state) {
            if automaton.is_dead(state) {
                break;
            }
            if automaton.is_match(state) {
                // A match state can also carry a name that begins later
                // (the automaton shares its states with searches from
                // anywhere): only one that begins at `start` counts.
                let pattern = automaton.match_pattern(state, 0);
                if automaton.pattern_len(pattern) == at + 1 - start {
                    longest = Some((at + 1, pattern));
                }
            }
        }
    }
    longest
}

/// Whether `c` is part of a word: a name next to one is not a mention.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text` ends in a word character.
fn ends_in_word(text: &str) -> bool {
    match text.as_bytes().last() {
        None => false,
        // Most text is ASCII: no need to decode it.
        Some(&byte) if byte.is_ascii() => byte.is_ascii_alphanumeric() || byte == b'_',
        Some(_) => text.chars().next_back().is_some_and(is_word_char),
    }
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
    // Only the word before the dot matters, and abbreviations are short:
    // looking back a bounded distance keeps `a.a.a.…` (no space for
    // hundreds of kilobytes) linear instead of rescanning it at every dot.
    let mut floor = dot.saturating_sub(LOOK_BACK);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let word_start = text[floor..dot]
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(floor, |i| floor + i + 1);
    let word = &text[word_start..dot];
    // "U.S." and initials ("J. Smith") are not sentence ends.
    let initial = word.chars().count() == 1 || word.contains('.');
    !initial && !ABBREVIATIONS.contains(&word)
}

/// How far back from a full stop its word is looked for, in bytes.
const LOOK_BACK: usize = 32;

/// The longest snippet kept, in characters.
const MAX_SNIPPET: usize = 320;

/// Where the sentences of a block of text end: each entry is the byte
/// just past a sentence's final punctuation (and any closing quotes).
/// Computed once per block, however many snippets it yields.
pub fn sentence_breaks(text: &str) -> Vec<usize> {
    let is_closer = |b: u8| matches!(b, b'"' | b'\'' | b')');
    let mut breaks = Vec::new();
    // Sentence punctuation is ASCII, so byte positions are char boundaries;
    // searching bytes (several at a time) avoids decoding every character
    // of the block.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        if !ends_sentence(text, i) {
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
///
/// A sentence too long to show is cut to a window around the mention, at
/// word boundaries, with `…` where text was left out; quotation marks the
/// cut (or the sentence split) left unmatched are closed or opened, so a
/// snippet never starts inside a quote without its opening mark. The work
/// is bounded by the window, not by the sentence: a paragraph naming
/// thousands of actors in one sentence yields thousands of snippets.
pub fn sentence_at(text: &str, breaks: &[usize], offset: usize) -> String {
    let offset = offset.min(text.len());
    let after = breaks.partition_point(|&b| b <= offset);
    let start = if after == 0 { 0 } else { breaks[after - 1] };
    let end = breaks.get(after).copied().unwrap_or(text.len());
    let sentence = text[start..end].trim();
    if sentence.len() <= MAX_SNIPPET || sentence.chars().count() <= MAX_SNIPPET {
        // Most sentences fit whole: the window below would come to the
        // same, a character at a time.
        return balance_quotes(sentence.to_string());
    }
    let base = start + (text[start..end].len() - text[start..end].trim_start().len());
    let local = offset.saturating_sub(base).min(sentence.len());
    let mut local = local;
    while !sentence.is_char_boundary(local) {
        local -= 1;
    }
    // Up to a third of the window before the mention, the rest after it.
    let back = sentence[..local]
        .char_indices()
        .rev()
        .nth(MAX_SNIPPET / 3 - 1)
        .map_or(0, |(i, _)| i);
    let to = sentence[back..]
        .char_indices()
        .nth(MAX_SNIPPET)
        .map_or(sentence.len(), |(i, _)| back + i);
    let mut from = back;
    if to == sentence.len() {
        // Room to spare at the end: give it to the text before.
        from = sentence[..to]
            .char_indices()
            .rev()
            .nth(MAX_SNIPPET - 1)
            .map_or(0, |(i, _)| i);
    }
    let mut to = to;
    let mid_word = |at: usize| !sentence[..at].ends_with(char::is_whitespace);
    if from > 0 && mid_word(from) {
        // Start at the next word, unless that skips past the mention.
        if let Some(space) = sentence[from..local].find(char::is_whitespace) {
            from += space;
        }
        from += sentence[from..].len() - sentence[from..].trim_start().len();
    }
    if to < sentence.len() {
        let mention_end = sentence[local..]
            .find(char::is_whitespace)
            .map_or(sentence.len(), |i| local + i);
        if let Some(space) = sentence[mention_end.min(to)..to].rfind(char::is_whitespace) {
            to = mention_end.min(to) + space;
        }
        to = from + sentence[from..to].trim_end().len();
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&sentence[from..to]);
    if to < sentence.len() {
        out.push('…');
    }
    balance_quotes(out)
}

/// Adds the opening marks of quotes that close in `snippet` without opening
/// there, and the closing marks of quotes it leaves open.
fn balance_quotes(snippet: String) -> String {
    let mut missing_open = String::new();
    let mut open: Vec<char> = Vec::new();
    let mut straight = 0;
    // Only the quote marks matter: jump from one possible mark to the next
    // (each starts with one of these bytes, none of which continues a
    // character) instead of decoding every character.
    let marks = memchr::memchr3_iter(b'"', 0xE2, 0xC2, snippet.as_bytes());
    for c in marks.filter_map(|at| snippet[at..].chars().next()) {
        let (opener, closer) = match c {
            '“' => ('“', '”'),
            '”' => ('“', '”'),
            '«' => ('«', '»'),
            '»' => ('«', '»'),
            '"' => {
                straight += 1;
                continue;
            }
            _ => continue,
        };
        if c == opener {
            open.push(closer);
        } else if let Some(position) = open.iter().rposition(|&o| o == closer) {
            open.remove(position);
        } else {
            missing_open.insert(0, opener);
        }
    }
    if missing_open.is_empty() && open.is_empty() && straight % 2 == 0 {
        return snippet;
    }
    let mut out = missing_open;
    let mut closing: String = open.iter().rev().collect();
    if straight % 2 == 1 {
        // An odd straight quote: if the first one closes a quote (text
        // before it, a space or the end after it), it opened before the
        // snippet; otherwise it opens one the snippet does not close.
        let first = snippet.find('"').expect("invariant: odd count");
        let after = snippet[first + 1..].chars().next();
        let closes =
            first > 0 && after.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
        if closes {
            out.push('"');
        } else {
            closing.insert(0, '"');
        }
    }
    out.push_str(&snippet);
    out.push_str(&closing);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::load::{Loaded, parse_doc};
    use crate::model::{self, ModelOptions};
    use aho_corasick::{AhoCorasick, Input};
    use proptest::prelude::any;
    use proptest::sample::Index;

    /// The characters names and texts are made of in the property tests.
    macro_rules! alphabet {
        () => {
            "[aAbB1_ .()\u{2019}\u{e9}\u{e8}\u{c3}\u{e0}\u{4e2d}\u{56fd}\u{301}\u{a0}\u{1f600}-]"
        };
    }

    fn matcher(actors: &[(&str, &str)]) -> (MentionMatcher, Site) {
        let loaded = Loaded {
            actors: actors
                .iter()
                .map(|(slug, yaml)| {
                    parse_doc(
                        &format!("content/actors/{slug}.md"),
                        format!("---\n{yaml}\n---\n"),
                    )
                    .map(std::sync::Arc::new)
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

    /// What `find` answered when it searched the whole text with a full
    /// DFA for the leftmost-longest name and kept it if it was a whole
    /// word, with its own word test: each name is numbered by its place
    /// in `names`, one-letter names left out.
    fn find_everywhere(names: &[&str], text: &str) -> Vec<(Range<usize>, u32)> {
        let kept: Vec<(usize, &str)> = (0..names.len())
            .map(|i| (i, names[i]))
            .filter(|(_, n)| n.chars().count() >= 2)
            .collect();
        let Ok(automaton) = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(kept.iter().map(|(_, n)| n))
        else {
            return Vec::new();
        };
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut found = Vec::new();
        let mut from = 0;
        while from < text.len() {
            let Some(m) = automaton.find(Input::new(text).span(from..text.len())) else {
                break;
            };
            if !word(text[..m.start()].chars().next_back()) && !word(text[m.end()..].chars().next())
            {
                found.push((m.start()..m.end(), kept[m.pattern().as_usize()].0 as u32));
                from = m.end();
            } else {
                from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }

    /// `find` over `names`, each numbered by its place.
    fn find_at_word_starts(names: &[&str], text: &str) -> Vec<(Range<usize>, u32)> {
        let matcher = MentionMatcher::of_names(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, ActorId(i as u32))),
        );
        matcher
            .find(text)
            .into_iter()
            .map(|(r, a)| (r, a.0))
            .collect()
    }

    /// A text strung from `pieces`: each a cut of one of `names` (the
    /// whole name, a prefix or a suffix, by the second and third index)
    /// followed by a bit of text of its own.
    fn text_of(names: &[String], pieces: &[(Index, Index, Index, String)]) -> String {
        pieces
            .iter()
            .map(|(name, a, b, between)| {
                let name = &names[name.index(names.len())];
                let cuts: Vec<usize> = (0..=name.len())
                    .filter(|&i| name.is_char_boundary(i))
                    .collect();
                let (mut from, mut to) = (cuts[a.index(cuts.len())], cuts[b.index(cuts.len())]);
                if a.index(4) < 2 {
                    (from, to) = (0, name.len());
                } else if from > to {
                    std::mem::swap(&mut from, &mut to);
                }
                format!("{}{between}", &name[from..to])
            })
            .collect()
    }

    #[test]
    fn names_with_punctuation_scripts_and_accents_are_found_as_before() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["U.S.", "U.S", "US"],
                "the U.S. and U.S.A. and (U.S.) U.S.x U.S",
            ),
            (&["(UN)", "UN"], "x(UN) (UN)y (UN) UN) (UN"),
            (&[" UN", "UN", "N "], "a UN b  UN aUN ,UN N N a"),
            (&["中国", "中国人", "国人"], "中国人 中国 中国x 在中国 国人"),
            (&["éa", "èa", "Éamon"], "éa èa Éamon éaè èéa"),
            (&["ab", "bc", "abc", "b c"], "abc ab bc b c abcab ab_bc"),
            (&["aa", "aa", "a a", "aa a"], "aa a aaa aa aa a"),
            (
                &["Syria", "Syrian Kurds"],
                "Syrian Kurdsx Syria Syrian Kurds",
            ),
            (&["’s", "x’"], "x’s ’s x’ ’"),
            (&["a\u{301}b", "ab"], "a\u{301}b ab a\u{301}ab"),
            (&["🇺🇸 US", "US"], "🇺🇸 US 🇺🇸US"),
            (&["ab"], ""),
        ];
        for (names, text) in cases {
            assert_eq!(
                find_at_word_starts(names, text),
                find_everywhere(names, text),
                "{names:?} in {text:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Searching only where words begin finds what searching the whole
        /// text found, on names and texts from letters of both cases and
        /// three scripts, a digit, an underscore, punctuation, a combining
        /// accent, a no-break space and a four-byte character, the texts
        /// strung from whole names, their prefixes and suffixes: names
        /// follow each other, overlap, nest, sit inside words and share
        /// first bytes with other characters.
        #[test]
        fn searching_at_word_starts_finds_what_searching_everywhere_found(
            names in proptest::collection::vec(concat!(alphabet!(), "{1,6}"), 1..12),
            pieces in proptest::collection::vec(
                (any::<Index>(), any::<Index>(), any::<Index>(), concat!(alphabet!(), "{0,3}")),
                0..16,
            ),
        ) {
            let text = text_of(&names, &pieces);
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                find_at_word_starts(&names, &text),
                find_everywhere(&names, &text)
            );
        }

        /// The same with few letters and texts made of names' prefixes: a
        /// prefix of one name that ends in another (a match the automaton
        /// carries over from a name that begins later) comes up often.
        #[test]
        fn a_name_ending_inside_another_is_found_as_before(
            names in proptest::collection::vec("[ab é.]{2,5}", 1..6),
            pieces in proptest::collection::vec(
                (any::<Index>(), any::<Index>(), "[ab é.]{0,1}"),
                0..8,
            ),
        ) {
            let text: String = pieces
                .iter()
                .map(|(name, cut, between)| {
                    let name = &names[name.index(names.len())];
                    let cuts: Vec<usize> = (1..=name.len())
                        .filter(|&i| name.is_char_boundary(i))
                        .collect();
                    format!("{}{between}", &name[..cuts[cut.index(cuts.len())]])
                })
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                find_at_word_starts(&names, &text),
                find_everywhere(&names, &text)
            );
        }
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
    fn snippets_are_cut_at_words_and_keep_quotes_balanced() {
        // #11.11: never "…t Vladimir Putin informed… told the Russian Parliam…".
        let text = format!(
            "{}At that meeting Vladimir Putin informed them, {} and told the Russian Parliament nothing.",
            "The longest preamble ".repeat(12),
            "at length and in detail ".repeat(12)
        );
        let snippet = sentence_around(&text, text.find("Putin").unwrap());
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        let inner = snippet.trim_matches('…');
        assert!(text.contains(inner), "{snippet}");
        let at = text.find(inner).unwrap();
        let before = text[..at].chars().next_back();
        let after = text[at + inner.len()..].chars().next();
        assert!(
            before.is_some_and(char::is_whitespace),
            "starts at a word: {snippet}"
        );
        assert!(
            after.is_some_and(char::is_whitespace),
            "ends at a word: {snippet}"
        );
        assert!(snippet.contains("Vladimir Putin"));

        // A sentence that starts inside a quote gets its opening mark back.
        let text = "“We will respond. Putin has decided.” Then he left.";
        assert_eq!(
            sentence_around(text, text.find("Putin").unwrap()),
            "“Putin has decided.”"
        );
        // A cut inside a quote closes it.
        let text = format!("He said: “Putin {}.”", "word ".repeat(400));
        let snippet = sentence_around(&text, text.find("Putin").unwrap());
        assert!(snippet.ends_with("…”"), "{snippet}");
        let straight = format!("He said \"Putin {}.\"", "word ".repeat(400));
        let snippet = sentence_around(&straight, straight.find("Putin").unwrap());
        assert_eq!(snippet.matches('"').count(), 2, "{snippet}");
    }

    #[test]
    fn a_sentence_is_whole_up_to_the_longest_snippet_in_characters() {
        // Counted in characters, not bytes: `é` is two bytes.
        let sentence = |chars: usize| format!("Putin {}.", "é".repeat(chars - "Putin .".len()));
        let whole = sentence(MAX_SNIPPET);
        assert!(whole.len() > MAX_SNIPPET);
        assert_eq!(sentence_around(&whole, 0), whole);
        let long = sentence(MAX_SNIPPET + 1);
        let snippet = sentence_around(&long, 0);
        assert!(snippet.ends_with('…'), "{snippet}");
        assert!(snippet.starts_with("Putin"), "{snippet}");
    }

    #[test]
    fn snippet_work_is_bounded_by_the_window() {
        // 6,000 mentions in one very long sentence, each needing a snippet:
        // every snippet is bounded, and finding the breaks is linear even
        // for `a.a.a.…` with no space (no wall-clock: the sizes would take
        // minutes with the old quadratic scans).
        let text = format!("Russia {}", "a.".repeat(200_000));
        let breaks = sentence_breaks(&text);
        assert!(breaks.len() <= 1, "{}", breaks.len());
        let long = "Putin and ".repeat(6_000);
        let breaks = sentence_breaks(&long);
        for (i, _) in long.match_indices("Putin") {
            assert!(sentence_at(&long, &breaks, i).chars().count() <= MAX_SNIPPET + 4);
        }
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
