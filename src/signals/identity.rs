//! Identity leaks: sentences in which a text presents itself as a model or
//! names its maker ("I am ChatGPT", "As an AI language model developed by
//! OpenAI", "я — ChatGPT, разработанный OpenAI", "我是由OpenAI开发的…").
//!
//! A student trained on a teacher's answers often repeats the teacher's
//! self-descriptions verbatim, which is the most direct evidence of
//! distillation a person can read.
//!
//! # How a leak is recognised
//!
//! Each sentence is split into case-folded UAX #29 words (every CJK
//! ideograph is its own word, so one matcher serves all scripts). A leak
//! needs a *self-reference cue* ("I am", "I'm", "my name is", "as an",
//! "я", "меня", "как", "мене", "як", "我是", "作为", ...) followed by a chain
//! of *bridge* words ("a", "large", "language", "model", "developed", "by",
//! "разработанный", "компанією", "由", "开发", ...) that reaches
//! a name from the lexicon, or an entity followed by a creation verb and
//! "me" ("OpenAI trained me", "меня создала OpenAI" is the cue form).
//! Any other word ends the chain, so a sentence that merely *mentions* a
//! model ("OpenAI released GPT-4 in 2023", "I think ChatGPT is useful") is
//! not a leak, and a denial ("I am not ChatGPT") is not a claim.
//!
//! A chain that reaches no name but passes a generic self-description
//! ("AI", "assistant", "language model", "ИИ", "ШІ", "人工智能", "语言模型")
//! that ends its noun phrase is reported as a [`ClaimKind::Generic`] claim:
//! "As an AI language model, I cannot..." is a habit of some model
//! families, worth showing even though it names nobody. After "as"-type
//! cues ("as an", "как", "як", "作为") a name counts only after such a
//! generic noun ("As an AI developed by OpenAI"), because "as" alone often
//! introduces a comparison ("Как и ChatGPT, ...").
//!
//! ```
//! use lineage::signals::identity::{find_leaks, ClaimKind};
//! let leaks = find_leaks("Hello! I'm Claude, an AI assistant made by Anthropic. How can I help?");
//! assert_eq!(leaks.len(), 1);
//! assert_eq!(leaks[0].claims[0].entity, "Claude");
//! assert_eq!(leaks[0].claims[1].vendor, "Anthropic");
//! assert_eq!(leaks[0].claims[1].kind, ClaimKind::Vendor);
//! assert!(find_leaks("OpenAI released GPT-4 in 2023.").is_empty());
//! ```

use crate::text::{self, Span};

/// What a claim names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum ClaimKind {
    /// A model or product ("ChatGPT", "Claude", "Qwen").
    Model,
    /// A vendor or lab ("OpenAI", "Anthropic", "Alibaba").
    Vendor,
    /// A self-description naming nobody ("as an AI language model").
    Generic,
}

impl ClaimKind {
    /// Lowercase name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Model => "model",
            ClaimKind::Vendor => "vendor",
            ClaimKind::Generic => "generic",
        }
    }
}

/// One thing a sentence claims to be or to come from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Claim {
    /// Canonical name ("ChatGPT", "OpenAI"); for a generic claim, the
    /// canonical English self-description ("AI language model").
    pub entity: String,
    /// The vendor behind the entity ("OpenAI"); empty for a generic claim.
    pub vendor: String,
    pub kind: ClaimKind,
}

/// Language of a leaking sentence, by its script and a few marker letters;
/// serialised as its ISO 639-1 code ([`Language::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "uk")]
    Ukrainian,
    #[serde(rename = "ru")]
    Russian,
    #[serde(rename = "zh")]
    Chinese,
    /// Anything else (the patterns are those of the languages above).
    #[serde(rename = "und")]
    Other,
}

impl Language {
    /// ISO 639-1 code ("en", "uk", "ru", "zh"; "und" for other).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Ukrainian => "uk",
            Language::Russian => "ru",
            Language::Chinese => "zh",
            Language::Other => "und",
        }
    }
}

/// A sentence that presents its text as a model or names its maker.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Leak {
    /// The sentence as written.
    pub sentence: String,
    /// Where it is in the text (bytes and UTF-16 code units).
    pub span: Span,
    /// What it claims, in order of appearance, each entity once.
    pub claims: Vec<Claim>,
    pub language: Language,
}

/// (canonical entity, vendor, kind, aliases). Aliases are matched as whole
/// case-folded word sequences; a possessive "'s" is ignored.
const LEXICON: &[(&str, &str, ClaimKind, &[&str])] = &[
    // OpenAI
    (
        "ChatGPT",
        "OpenAI",
        ClaimKind::Model,
        &["chatgpt", "chat gpt", "чатгпт", "чат gpt"],
    ),
    (
        "GPT-4",
        "OpenAI",
        ClaimKind::Model,
        &["gpt-4", "gpt4", "gpt-4o", "gpt-4 turbo"],
    ),
    (
        "GPT-3.5",
        "OpenAI",
        ClaimKind::Model,
        &["gpt-3.5", "gpt-3.5-turbo", "gpt3.5"],
    ),
    (
        "GPT-3",
        "OpenAI",
        ClaimKind::Model,
        &[
            "gpt-3",
            "gpt3",
            "text-davinci-003",
            "davinci",
            "instructgpt",
        ],
    ),
    ("GPT", "OpenAI", ClaimKind::Model, &["gpt"]),
    (
        "OpenAI",
        "OpenAI",
        ClaimKind::Vendor,
        &["openai", "open ai"],
    ),
    // Anthropic
    ("Claude", "Anthropic", ClaimKind::Model, &["claude", "клод"]),
    ("Anthropic", "Anthropic", ClaimKind::Vendor, &["anthropic"]),
    // Google
    ("Gemini", "Google", ClaimKind::Model, &["gemini"]),
    ("Bard", "Google", ClaimKind::Model, &["bard"]),
    (
        "PaLM",
        "Google",
        ClaimKind::Model,
        &["palm", "palm 2", "palm-2"],
    ),
    ("LaMDA", "Google", ClaimKind::Model, &["lamda"]),
    ("Gemma", "Google", ClaimKind::Model, &["gemma"]),
    (
        "Google",
        "Google",
        ClaimKind::Vendor,
        &[
            "google",
            "google ai",
            "google deepmind",
            "deepmind",
            "гугл",
            "谷歌",
        ],
    ),
    // Meta
    (
        "LLaMA",
        "Meta",
        ClaimKind::Model,
        &["llama", "llama 2", "llama-2", "llama 3", "llama-3", "лама"],
    ),
    (
        "Meta",
        "Meta",
        ClaimKind::Vendor,
        &["meta", "meta ai", "facebook", "facebook ai", "脸书"],
    ),
    // Mistral
    (
        "Mistral",
        "Mistral AI",
        ClaimKind::Model,
        &["mistral", "mixtral"],
    ),
    (
        "Mistral AI",
        "Mistral AI",
        ClaimKind::Vendor,
        &["mistral ai"],
    ),
    // DeepSeek
    (
        "DeepSeek",
        "DeepSeek",
        ClaimKind::Model,
        &["deepseek", "深度求索"],
    ),
    // Alibaba
    (
        "Qwen",
        "Alibaba",
        ClaimKind::Model,
        &["qwen", "tongyi qianwen", "tongyi", "通义千问", "通义"],
    ),
    (
        "Alibaba",
        "Alibaba",
        ClaimKind::Vendor,
        &["alibaba", "alibaba cloud", "阿里巴巴", "阿里云"],
    ),
    // 01.AI
    ("Yi", "01.AI", ClaimKind::Model, &["yi"]),
    (
        "01.AI",
        "01.AI",
        ClaimKind::Vendor,
        &["01.ai", "01 ai", "零一万物"],
    ),
    // LMSYS, Stanford and other open fine-tunes
    ("Vicuna", "LMSYS", ClaimKind::Model, &["vicuna"]),
    (
        "LMSYS",
        "LMSYS",
        ClaimKind::Vendor,
        &["lmsys", "large model systems organization"],
    ),
    ("Alpaca", "Stanford", ClaimKind::Model, &["alpaca"]),
    (
        "Stanford",
        "Stanford",
        ClaimKind::Vendor,
        &["stanford", "stanford university", "斯坦福"],
    ),
    (
        "Guanaco",
        "University of Washington",
        ClaimKind::Model,
        &["guanaco"],
    ),
    ("Koala", "UC Berkeley", ClaimKind::Model, &["koala"]),
    ("Dolly", "Databricks", ClaimKind::Model, &["dolly"]),
    (
        "Databricks",
        "Databricks",
        ClaimKind::Vendor,
        &["databricks"],
    ),
    (
        "Open Assistant",
        "LAION",
        ClaimKind::Model,
        &["open assistant", "openassistant"],
    ),
    ("LAION", "LAION", ClaimKind::Vendor, &["laion"]),
    ("Falcon", "TII", ClaimKind::Model, &["falcon"]),
    (
        "TII",
        "TII",
        ClaimKind::Vendor,
        &["technology innovation institute"],
    ),
    ("StableLM", "Stability AI", ClaimKind::Model, &["stablelm"]),
    (
        "Stability AI",
        "Stability AI",
        ClaimKind::Vendor,
        &["stability ai"],
    ),
    // Chinese labs
    (
        "Baichuan",
        "Baichuan",
        ClaimKind::Model,
        &["baichuan", "百川", "百川智能"],
    ),
    (
        "ChatGLM",
        "Zhipu AI",
        ClaimKind::Model,
        &["chatglm", "glm", "智谱清言"],
    ),
    (
        "Zhipu AI",
        "Zhipu AI",
        ClaimKind::Vendor,
        &["zhipu", "zhipu ai", "智谱", "智谱ai", "清华大学"],
    ),
    (
        "ERNIE Bot",
        "Baidu",
        ClaimKind::Model,
        &["ernie", "ernie bot", "文心一言", "文心"],
    ),
    ("Baidu", "Baidu", ClaimKind::Vendor, &["baidu", "百度"]),
    ("Kimi", "Moonshot AI", ClaimKind::Model, &["kimi"]),
    (
        "Moonshot AI",
        "Moonshot AI",
        ClaimKind::Vendor,
        &["moonshot ai", "月之暗面"],
    ),
    // xAI
    ("Grok", "xAI", ClaimKind::Model, &["grok"]),
    ("xAI", "xAI", ClaimKind::Vendor, &["xai", "x.ai"]),
    // Microsoft
    (
        "Phi",
        "Microsoft",
        ClaimKind::Model,
        &["phi", "phi-2", "phi-3"],
    ),
    (
        "Copilot",
        "Microsoft",
        ClaimKind::Model,
        &["copilot", "bing chat", "bing"],
    ),
    (
        "Microsoft",
        "Microsoft",
        ClaimKind::Vendor,
        &["microsoft", "微软"],
    ),
    // Russian assistants
    (
        "GigaChat",
        "Sber",
        ClaimKind::Model,
        &["gigachat", "гигачат"],
    ),
    (
        "YandexGPT",
        "Yandex",
        ClaimKind::Model,
        &["yandexgpt", "yandex gpt"],
    ),
    (
        "Yandex",
        "Yandex",
        ClaimKind::Vendor,
        &["yandex", "яндекс", "яндексом"],
    ),
    ("Cohere", "Cohere", ClaimKind::Vendor, &["cohere"]),
];

/// How a cue constrains what may follow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CueKind {
    /// First-person identity or creation ("I am", "я", "我是"): a name may
    /// follow directly.
    Identity,
    /// "As"-type ("as an", "как", "作为"): a name counts only after a
    /// generic self-description.
    As,
}

const CUES: &[(&str, CueKind)] = &[
    // English
    ("i am", CueKind::Identity),
    ("i'm", CueKind::Identity),
    ("i’m", CueKind::Identity),
    ("i was", CueKind::Identity),
    ("i've been", CueKind::Identity),
    ("i’ve been", CueKind::Identity),
    ("i have been", CueKind::Identity),
    ("my name is", CueKind::Identity),
    ("call me", CueKind::Identity),
    ("my creators", CueKind::Identity),
    ("my creator", CueKind::Identity),
    ("my developers", CueKind::Identity),
    ("my makers", CueKind::Identity),
    ("as an", CueKind::As),
    ("as a", CueKind::As),
    // Russian
    ("я", CueKind::Identity),
    ("меня", CueKind::Identity),
    ("мое имя", CueKind::Identity),
    ("моё имя", CueKind::Identity),
    ("мои создатели", CueKind::Identity),
    ("мои разработчики", CueKind::Identity),
    ("как", CueKind::As),
    ("будучи", CueKind::As),
    ("в качестве", CueKind::As),
    // Ukrainian ("я" is shared with Russian)
    ("мене", CueKind::Identity),
    ("моє ім'я", CueKind::Identity),
    ("моє ім’я", CueKind::Identity),
    ("мої творці", CueKind::Identity),
    ("мої розробники", CueKind::Identity),
    ("як", CueKind::As),
    ("в якості", CueKind::As),
    // Chinese
    ("我是", CueKind::Identity),
    ("我叫", CueKind::Identity),
    ("我的名字是", CueKind::Identity),
    ("我被", CueKind::Identity),
    ("我由", CueKind::Identity),
    ("我就是", CueKind::Identity),
    ("作为", CueKind::As),
    ("身为", CueKind::As),
];

/// Words and phrases that may stand between a cue and a name without
/// ending the self-description.
const BRIDGES: &[&str] = &[
    // English
    "am",
    "is",
    "was",
    "were",
    "been",
    "have",
    "a",
    "an",
    "the",
    "just",
    "simply",
    "only",
    "actually",
    "large",
    "language",
    "model",
    "models",
    "llm",
    "ai",
    "artificial",
    "intelligence",
    "assistant",
    "chatbot",
    "chat",
    "bot",
    "conversational",
    "virtual",
    "helpful",
    "digital",
    "research",
    "based",
    "on",
    "powered",
    "by",
    "trained",
    "developed",
    "created",
    "made",
    "built",
    "designed",
    "programmed",
    "fine",
    "tuned",
    "finetuned",
    "from",
    "at",
    "of",
    "version",
    "called",
    "named",
    "known",
    "as",
    "team",
    "company",
    "lab",
    "engineers",
    "researchers",
    "and",
    "are",
    "me",
    // Russian
    "являюсь",
    "есть",
    "это",
    "большая",
    "большой",
    "языковая",
    "языковой",
    "языковую",
    "модель",
    "моделью",
    "модели",
    "ии",
    "искусственного",
    "интеллекта",
    "искусственный",
    "интеллект",
    "ассистент",
    "ассистентом",
    "помощник",
    "помощником",
    "чат",
    "бот",
    "нейросеть",
    "нейросетью",
    "разработанная",
    "разработанный",
    "разработана",
    "разработан",
    "созданная",
    "созданный",
    "создана",
    "создан",
    "обученная",
    "обученный",
    "обучена",
    "обучен",
    "разработанной",
    "созданной",
    "обученной",
    "разработанным",
    "созданным",
    "обученным",
    "создала",
    "создали",
    "разработала",
    "разработали",
    "обучила",
    "обучили",
    "компанией",
    "компании",
    "компания",
    "командой",
    "от",
    "на",
    "основе",
    "виртуальный",
    "виртуальная",
    "версия",
    "зовут",
    "называют",
    "просто",
    "лишь",
    "всего",
    "был",
    "была",
    "и",
    "инженерами",
    "исследователями",
    "одна",
    "один",
    "из",
    // Ukrainian
    "є",
    "це",
    "велика",
    "великий",
    "мовна",
    "мовною",
    "мовну",
    "моделлю",
    "ші",
    "штучного",
    "інтелекту",
    "штучний",
    "інтелект",
    "асистент",
    "асистентом",
    "помічник",
    "помічником",
    "нейромережа",
    "розроблена",
    "розроблений",
    "створена",
    "створений",
    "навчена",
    "навчений",
    "розробленою",
    "створеною",
    "навченою",
    "розробленим",
    "створеним",
    "навченим",
    "створила",
    "створили",
    "розробила",
    "розробили",
    "навчила",
    "навчили",
    "компанією",
    "компанії",
    "компанія",
    "командою",
    "від",
    "основі",
    "віртуальний",
    "версія",
    "звуть",
    "називають",
    "лише",
    "був",
    "була",
    "і",
    "та",
    "й",
    "інженерами",
    "дослідниками",
    "з",
    // Chinese
    "由",
    "一个",
    "一款",
    "一种",
    "一名",
    "个",
    "款",
    "的",
    "大型",
    "语言模型",
    "语言",
    "模型",
    "人工智能",
    "智能",
    "助手",
    "助理",
    "聊天机器人",
    "机器人",
    "开发",
    "研发",
    "训练",
    "创建",
    "创造",
    "打造",
    "设计",
    "推出",
    "公司",
    "团队",
    "名为",
    "叫做",
    "称为",
    "基于",
    "和",
    "是",
    "虚拟",
    "出来",
    "所",
    "旗下",
    "实验室",
    "研究",
    "被",
];

/// Words that make a chain a generic self-description, with the canonical
/// English phrase reported for them.
const GENERIC: &[(&str, &str)] = &[
    ("ai language model", "AI language model"),
    ("large language model", "language model"),
    ("language model", "language model"),
    ("ai assistant", "AI assistant"),
    ("ai model", "AI model"),
    ("ai", "AI"),
    ("artificial intelligence", "AI"),
    ("assistant", "AI assistant"),
    ("chatbot", "chatbot"),
    ("llm", "language model"),
    ("языковая модель", "language model"),
    ("языковой моделью", "language model"),
    ("языковую модель", "language model"),
    ("модель ии", "AI model"),
    ("ии", "AI"),
    ("искусственный интеллект", "AI"),
    ("ассистент", "AI assistant"),
    ("ассистентом", "AI assistant"),
    ("нейросеть", "neural network"),
    ("мовна модель", "language model"),
    ("мовною моделлю", "language model"),
    ("мовну модель", "language model"),
    ("модель ші", "AI model"),
    ("ші", "AI"),
    ("штучний інтелект", "AI"),
    ("асистент", "AI assistant"),
    ("асистентом", "AI assistant"),
    ("人工智能语言模型", "AI language model"),
    ("语言模型", "language model"),
    ("人工智能助手", "AI assistant"),
    ("人工智能", "AI"),
    ("ai助手", "AI assistant"),
    ("ai语言模型", "AI language model"),
    ("聊天机器人", "chatbot"),
];

/// Creation verbs for the entity-first frame "OpenAI trained me".
const CREATION_VERBS: &[&str] = &[
    "trained",
    "created",
    "developed",
    "built",
    "made",
    "designed",
    "programmed",
];

/// Case-folded words of a phrase; a trailing possessive is dropped.
fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    for suffix in ["'s", "’s"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    lower
}

fn phrase_words(phrase: &str) -> Vec<String> {
    text::words(phrase).iter().map(|w| fold(w.text)).collect()
}

/// The matcher's tables as word sequences, longest first within each.
struct Tables {
    entities: Vec<(Vec<String>, usize)>,
    cues: Vec<(Vec<String>, CueKind)>,
    bridges: Vec<Vec<String>>,
    generic: Vec<(Vec<String>, &'static str)>,
}

fn longest_first<T>(v: &mut [(Vec<String>, T)]) {
    crate::sort::stable_sort_by(v, |a, b| {
        b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0))
    });
}

impl Tables {
    fn new() -> Self {
        let mut entities: Vec<(Vec<String>, usize)> = LEXICON
            .iter()
            .enumerate()
            .flat_map(|(i, (_, _, _, aliases))| aliases.iter().map(move |a| (phrase_words(a), i)))
            .collect();
        longest_first(&mut entities);
        let mut cues: Vec<(Vec<String>, CueKind)> =
            CUES.iter().map(|&(c, k)| (phrase_words(c), k)).collect();
        longest_first(&mut cues);
        let mut bridges: Vec<(Vec<String>, ())> =
            BRIDGES.iter().map(|b| (phrase_words(b), ())).collect();
        longest_first(&mut bridges);
        let mut generic: Vec<(Vec<String>, &'static str)> =
            GENERIC.iter().map(|&(g, c)| (phrase_words(g), c)).collect();
        longest_first(&mut generic);
        Tables {
            entities,
            cues,
            bridges: bridges.into_iter().map(|(b, _)| b).collect(),
            generic,
        }
    }
}

fn matches_at(words: &[String], at: usize, phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words.len() >= at + phrase.len()
        && words[at..at + phrase.len()] == *phrase
}

/// Finds the self-identifying sentences of a text. Never fails: a text with
/// none gives an empty list.
pub fn find_leaks(text: &str) -> Vec<Leak> {
    static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(Tables::new);
    text::sentences(text)
        .into_iter()
        .filter_map(|sentence| {
            let claims = sentence_claims(sentence.text, tables);
            (!claims.is_empty()).then(|| Leak {
                sentence: sentence.text.to_string(),
                span: sentence.span,
                claims,
                language: detect_language(sentence.text),
            })
        })
        .collect()
}

fn sentence_claims(sentence: &str, tables: &Tables) -> Vec<Claim> {
    let tokens = text::words(sentence);
    let words: Vec<String> = tokens.iter().map(|t| fold(t.text)).collect();
    // Whether only spaces separate word i from word i + 1: then a generic
    // noun at i does not end its noun phrase ("an AI enthusiast").
    let glued = |i: usize| -> bool {
        i + 1 < tokens.len()
            && sentence[tokens[i].span.end..tokens[i + 1].span.start]
                .chars()
                .all(char::is_whitespace)
    };
    let mut claims: Vec<Claim> = Vec::new();
    let mut push = |claim: Claim| {
        if !claims
            .iter()
            .any(|c| c.entity == claim.entity && c.kind == claim.kind)
        {
            claims.push(claim);
        }
    };
    let entity_at = |at: usize| -> Option<(usize, usize)> {
        tables
            .entities
            .iter()
            .find(|(alias, _)| matches_at(&words, at, alias))
            .map(|(alias, i)| (alias.len(), *i))
    };
    let entity_claim = |i: usize| {
        let (name, vendor, kind, _) = LEXICON[i];
        Claim {
            entity: name.to_string(),
            vendor: vendor.to_string(),
            kind,
        }
    };

    let mut i = 0;
    while i < words.len() {
        // Entity-first frame: "OpenAI trained me".
        if let Some((len, e)) = entity_at(i) {
            let verb = i + len;
            if verb + 1 < words.len()
                && CREATION_VERBS.contains(&words[verb].as_str())
                && words[verb + 1] == "me"
            {
                push(entity_claim(e));
            }
        }
        let Some((cue, kind)) = tables
            .cues
            .iter()
            .find(|(cue, _)| matches_at(&words, i, cue))
            .map(|(c, k)| (c.len(), *k))
        else {
            i += 1;
            continue;
        };
        let mut j = i + cue;
        let mut generic_seen = false;
        let mut pending_generic: Option<&'static str> = None;
        // A self-description is short: the chain is cut after 16 words.
        let limit = (j + 16).min(words.len());
        while j < limit {
            if let Some((len, e)) = entity_at(j) {
                if kind == CueKind::Identity || generic_seen {
                    push(entity_claim(e));
                }
                j += len;
                continue;
            }
            if let Some((g, canonical)) = tables
                .generic
                .iter()
                .find(|(g, _)| matches_at(&words, j, g))
            {
                let end = j + g.len() - 1;
                // A generic noun counts when its noun phrase ends there:
                // at punctuation, the end, or a following bridge or name.
                let next = end + 1;
                let ends_phrase = !glued(end)
                    || next >= words.len()
                    || entity_at(next).is_some()
                    || tables.bridges.iter().any(|b| matches_at(&words, next, b));
                if ends_phrase {
                    generic_seen = true;
                    pending_generic = pending_generic.or(Some(canonical));
                }
                j += g.len();
                continue;
            }
            if let Some(b) = tables.bridges.iter().find(|b| matches_at(&words, j, b)) {
                j += b.len();
                continue;
            }
            break;
        }
        if let Some(canonical) = pending_generic {
            push(Claim {
                entity: canonical.to_string(),
                vendor: String::new(),
                kind: ClaimKind::Generic,
            });
        }
        i = j.max(i + 1);
    }
    // Named claims first (in order of appearance), generic ones after: a
    // name is the stronger evidence.
    crate::sort::stable_sort_by_key(&mut claims, |c| c.kind == ClaimKind::Generic);
    // A generic claim next to a name adds nothing.
    if claims.iter().any(|c| c.kind != ClaimKind::Generic) {
        claims.retain(|c| c.kind != ClaimKind::Generic);
    }
    claims
}

/// Chinese if the sentence has Han ideographs; Ukrainian or Russian by
/// letters (і ї є ґ vs ы э ъ ё) and common words only one of them uses
/// when it is Cyrillic;
/// English when it is Latin.
fn detect_language(sentence: &str) -> Language {
    let (mut han, mut cyrillic, mut latin, mut uk, mut ru) = (0, 0, 0, 0usize, 0usize);
    for c in sentence.chars() {
        match c {
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => han += 1,
            'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => {
                uk += 1;
                cyrillic += 1
            }
            'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё' => {
                ru += 1;
                cyrillic += 1
            }
            '\u{400}'..='\u{4ff}' => cyrillic += 1,
            'a'..='z' | 'A'..='Z' => latin += 1,
            _ => {}
        }
    }
    if cyrillic > 0 {
        // Common words only one of the two languages uses, for sentences
        // without a telltale letter ("Як мовна модель, я не маю ...").
        const UK_WORDS: &[&str] = &["як", "що", "це", "мене", "мовна", "від", "та", "й", "маю"];
        const RU_WORDS: &[&str] = &["как", "что", "это", "меня", "языковая", "от", "имею"];
        for w in text::words(sentence) {
            let w = w.text.to_lowercase();
            uk += usize::from(UK_WORDS.contains(&w.as_str()));
            ru += usize::from(RU_WORDS.contains(&w.as_str()));
        }
    }
    if han > 0 {
        Language::Chinese
    } else if cyrillic > 0 && cyrillic >= latin / 4 {
        if uk > ru {
            Language::Ukrainian
        } else {
            Language::Russian
        }
    } else if latin > 0 {
        Language::English
    } else {
        Language::Other
    }
}
