//! Front matter schemas: what each kind of content file may say.
//!
//! These structs are the contract documented in the README. They mirror the
//! YAML exactly (strings as written, with their positions via `Spanned`);
//! interpretation — parsing dates, resolving actor names, validating slugs
//! and URLs — happens in `model`, which reports problems at these positions.
//! Every struct denies unknown fields, so a typo is an error, not silence.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a value is written in the YAML block: line and column from 1 (line
/// 0: not known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct YamlPosition {
    line: u32,
    column: u32,
}

impl YamlPosition {
    /// The line in the YAML block (0: not known).
    pub fn line(self) -> u64 {
        u64::from(self.line)
    }

    /// The column (from 1).
    pub fn column(self) -> u64 {
        u64::from(self.column)
    }
}

/// A value with where it is written, for the model to report problems at.
///
/// Read from YAML through serde-saphyr's `Spanned`; written to and read
/// from the build cache (a compact binary form, not human readable) as the
/// value and its position, so that a front matter read back from the cache
/// locates its problems exactly as a freshly parsed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written (where an alias is used, not where its anchor
    /// is).
    pub referenced: YamlPosition,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
            let at = spanned.referenced;
            Ok(Spanned {
                value: spanned.value,
                referenced: YamlPosition {
                    line: u32::try_from(at.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(at.column()).unwrap_or(u32::MAX),
                },
            })
        } else {
            let (value, referenced) = Deserialize::deserialize(deserializer)?;
            Ok(Spanned { value, referenced })
        }
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.value, self.referenced).serialize(serializer)
    }
}

/// A date as written: `2017-01-25`, `2016-11` or `2015` (YAML reads a bare
/// year as a number, so both forms are accepted here and parsed later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The build cache's form: the text.
        if !deserializer.is_human_readable() {
            return String::deserialize(deserializer).map(DateText);
        }
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date such as 2017-01-25, 2016-11 or 2015")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// What sort of piece an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArticleKind {
    /// Straight reporting.
    News,
    /// Analysis or explainer.
    Analysis,
    /// Opinion piece.
    #[serde(alias = "opinion", alias = "op_ed", alias = "oped")]
    OpEd,
    /// Interview.
    Interview,
    /// An official statement or transcript.
    Statement,
    /// A report or study.
    Report,
}

impl ArticleKind {
    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            ArticleKind::News => "News",
            ArticleKind::Analysis => "Analysis",
            ArticleKind::OpEd => "Op-ed",
            ArticleKind::Interview => "Interview",
            ArticleKind::Statement => "Statement",
            ArticleKind::Report => "Report",
        }
    }
}

/// `content/articles/*.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Headline, as published.
    pub title: Spanned<String>,
    /// How the title was chosen, when the clipping has no headline.
    pub title_note: Option<String>,
    /// Publication date, at the precision known.
    pub date: Spanned<DateText>,
    /// How an inexact or missing date was inferred.
    pub date_note: Option<String>,
    /// The publication: a registered source's name or slug.
    pub source: Spanned<String>,
    /// How the publication was identified, when the clipping does not say.
    pub source_note: Option<String>,
    /// Byline, if given.
    pub author: Option<Spanned<String>>,
    /// The original URL.
    pub url: Option<Spanned<String>>,
    /// When the text was retrieved.
    pub retrieved: Option<Spanned<DateText>>,
    /// News, analysis, op-ed, interview, statement or report.
    pub kind: Option<ArticleKind>,
    /// One or two sentences for lists and feeds.
    pub summary: Option<Spanned<String>>,
    /// Actors involved, by name, alias or slug.
    #[serde(default)]
    pub actors: Vec<Spanned<String>>,
    /// Dated events the article reports.
    #[serde(default)]
    pub events: Vec<EventMeta>,
    /// Photo credits not shown as figures in the body.
    #[serde(default)]
    pub credits: Vec<CreditMeta>,
    /// Quotes attributed to actors.
    #[serde(default)]
    pub quotes: Vec<QuoteMeta>,
    /// Free-form topics.
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    /// Drafts are built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Overrides the URL segment derived from the file name.
    pub slug: Option<Spanned<String>>,
}

/// One dated event in an article's `events`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventMeta {
    /// When it happened, at the precision known.
    pub date: Spanned<DateText>,
    /// How the date was worked out, if the text does not give it plainly.
    pub date_note: Option<String>,
    /// What happened.
    pub title: Spanned<String>,
    /// Who was involved.
    #[serde(default)]
    pub actors: Vec<Spanned<String>>,
}

/// A photo caption and credit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditMeta {
    /// What the photo shows.
    pub caption: Option<String>,
    /// Who took or supplied it.
    pub credit: String,
}

/// A quote attributed to an actor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteMeta {
    /// The actor quoted (name, alias or slug).
    pub by: Spanned<String>,
    /// The words, as quoted.
    pub text: String,
    /// Where or when it was said.
    pub context: Option<String>,
}

/// What sort of actor.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    /// A state.
    Country,
    /// A person.
    Person,
    /// An international body, agency, company, institute, media outlet.
    #[serde(alias = "organization", alias = "org")]
    Organisation,
    /// A government body or ministry.
    Government,
    /// An armed group or militia.
    #[serde(alias = "armed group", alias = "militia")]
    ArmedGroup,
    /// A region, city or other place.
    Place,
    /// A looser group: a population, a faction, an alliance.
    Group,
}

impl ActorKind {
    /// Plural heading for the actors index.
    pub fn plural(self) -> &'static str {
        match self {
            ActorKind::Country => "Countries",
            ActorKind::Person => "People",
            ActorKind::Organisation => "Organisations",
            ActorKind::Government => "Government bodies",
            ActorKind::ArmedGroup => "Armed groups",
            ActorKind::Place => "Places",
            ActorKind::Group => "Groups",
        }
    }

    /// Singular label.
    pub fn label(self) -> &'static str {
        match self {
            ActorKind::Country => "Country",
            ActorKind::Person => "Person",
            ActorKind::Organisation => "Organisation",
            ActorKind::Government => "Government body",
            ActorKind::ArmedGroup => "Armed group",
            ActorKind::Place => "Place",
            ActorKind::Group => "Group",
        }
    }
}

/// An external link on an actor or source profile.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMeta {
    /// The link text.
    pub title: String,
    /// Where it goes (http or https).
    pub url: Spanned<String>,
}

/// `content/actors/*.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActorMeta {
    /// The name used in headings and lists.
    pub name: Spanned<String>,
    /// Country, person, organisation, government, armed-group, place or group.
    pub kind: ActorKind,
    /// Other names found in text (`Moscow`, `the Kremlin`).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A person's position, or an organisation's function.
    pub role: Option<String>,
    /// The country or organisation a person or body belongs to (an actor).
    pub affiliation: Option<Spanned<String>>,
    /// Birth date, for people.
    pub born: Option<Spanned<DateText>>,
    /// Founding date, for organisations.
    pub founded: Option<Spanned<DateText>>,
    /// Further reading.
    #[serde(default)]
    pub links: Vec<LinkMeta>,
}

/// What sort of publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A newspaper, in print or online.
    Newspaper,
    /// A news agency.
    #[serde(alias = "news agency")]
    NewsAgency,
    /// A magazine.
    Magazine,
    /// A broadcaster.
    Broadcaster,
    /// A think tank's journal or analysis site.
    #[serde(alias = "think-tank journal", alias = "think tank journal")]
    ThinkTankJournal,
    /// A newsletter.
    Newsletter,
    /// A news or analysis website.
    Website,
    /// Not known.
    Unknown,
}

impl SourceKind {
    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Newspaper => "Newspaper",
            SourceKind::NewsAgency => "News agency",
            SourceKind::Magazine => "Magazine",
            SourceKind::Broadcaster => "Broadcaster",
            SourceKind::ThinkTankJournal => "Think-tank journal",
            SourceKind::Newsletter => "Newsletter",
            SourceKind::Website => "Website",
            SourceKind::Unknown => "Unknown",
        }
    }
}

/// Who owns or funds a publication: shown as a badge on every article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ownership {
    /// Owned or controlled by a state.
    StateOwned,
    /// Funded by a state but editorially separate.
    StateFunded,
    /// Publicly funded, independent broadcaster.
    PublicService,
    /// Privately owned.
    Private,
    /// Owned by a non-profit, church or foundation.
    NonProfit,
    /// Not known.
    Unknown,
}

impl Ownership {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            Ownership::StateOwned => "State-owned media",
            Ownership::StateFunded => "State-funded media",
            Ownership::PublicService => "Public-service media",
            Ownership::Private => "Privately owned",
            Ownership::NonProfit => "Non-profit",
            Ownership::Unknown => "Ownership unknown",
        }
    }

    /// Does a reader need to be warned that the state stands behind it?
    pub fn is_state(self) -> bool {
        matches!(self, Ownership::StateOwned | Ownership::StateFunded)
    }
}

/// `content/sources/*.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    /// The publication's name as articles cite it.
    pub name: Spanned<String>,
    /// Other names articles may use for it.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Home page.
    pub url: Option<Spanned<String>>,
    /// Where it is based.
    pub country: Option<String>,
    /// Newspaper, news agency, broadcaster, …
    pub kind: Option<SourceKind>,
    /// State-owned, private, …
    pub ownership: Option<Ownership>,
    /// Who owns or publishes it, in words.
    pub owner: Option<String>,
    /// Political or institutional affiliation, in words.
    pub affiliation: Option<String>,
    /// Founding date.
    pub founded: Option<Spanned<DateText>>,
}
