//! What a team measures of each handoff: how far self-service got before the user asked for a
//! person (`selfServiceProgress`), and how much of the context an agent expects arrived with it
//! (`contextCompleteness`, the share of [`PARTS`] present) — so that context preservation can be
//! tracked over time. Target-independent and natively tested.

use crate::capture::context::{CrumbKind, FlowRecord, Journey, NavKind};
use serde::Serialize;

/// How far self-service got before the handoff.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Progress {
    /// The furthest stage reached: `none` (no search, no article), `searched`, `read` (opened
    /// an article), `answered` (answered "Did this answer your question?"), `flow` (followed a
    /// guided flow).
    pub reached: String,
    /// Searches made.
    pub searches: u32,
    /// Searches for which Baton had no confident answer.
    pub unanswered_searches: u32,
    /// Articles opened.
    pub articles: u32,
    /// Articles marked helpful.
    pub helpful: u32,
    /// Articles marked not helpful.
    pub not_helpful: u32,
    /// The last guided flow followed: the step reached, of how many, and how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<FlowRecord>,
}

/// Summarises the journey.
pub fn progress(journey: &Journey) -> Progress {
    let count = |n: usize| n.min(u32::MAX as usize) as u32;
    let answered = journey.articles.iter().filter(|a| a.helpful.is_some()).count();
    let reached = if !journey.flows.is_empty() {
        "flow"
    } else if answered > 0 {
        "answered"
    } else if !journey.articles.is_empty() {
        "read"
    } else if !journey.searches.is_empty() {
        "searched"
    } else {
        "none"
    };
    Progress {
        reached: reached.into(),
        searches: count(journey.searches.len()),
        unanswered_searches: count(journey.searches.iter().filter(|s| !s.answered).count()),
        articles: count(journey.articles.len()),
        helpful: count(journey.articles.iter().filter(|a| a.helpful == Some(true)).count()),
        not_helpful: count(journey.articles.iter().filter(|a| a.helpful == Some(false)).count()),
        flow: journey.flows.last().cloned(),
    }
}

/// The parts of the context an agent expects, in the order `contextMissing` lists them:
///
/// - `identity`: who — the host identified the user (id or email), or they typed an email;
/// - `description`: the user's own words;
/// - `route`: the page they were on;
/// - `activity`: what they did — at least one click or route change, not left out;
/// - `errors`: what failed — errors or failed requests, or "none seen" from a capture that
///   watched since the page loaded; missing when the user left errors or requests out;
/// - `selfService`: what they tried — a search, an article or a guided flow;
/// - `page`: what the page showed — its title or headings, not left out;
/// - `environment`: browser and operating system.
pub const PARTS: [&str; 8] = ["identity", "description", "route", "activity", "errors", "selfService", "page", "environment"];

/// What the completeness score is computed from.
pub struct Present<'a> {
    /// The bundle's identity has an id or an email.
    pub identity: bool,
    /// The user's words.
    pub description: &'a str,
    /// The current route's URL, when known.
    pub route: Option<&'a str>,
    /// How the first route was reached (`Load` = capture watched from the page load).
    pub first_via: Option<NavKind>,
    /// The kinds of the breadcrumbs sent.
    pub crumbs: &'a [CrumbKind],
    /// Routes recorded.
    pub routes: usize,
    /// Error groups and failed-request groups sent.
    pub errors: usize,
    /// The user left console errors or failed requests out.
    pub errors_omitted: bool,
    /// The journey.
    pub journey: &'a Journey,
    /// The page's title or a heading, when sent.
    pub page: bool,
    /// Browser and OS are known.
    pub environment: bool,
}

/// `(score, missing)`: the share of [`PARTS`] present, rounded to two decimals, and the names
/// of the parts that are not.
pub fn completeness(p: &Present<'_>) -> (f64, Vec<String>) {
    let activity = p.routes > 1 || p.crumbs.iter().any(|k| *k == CrumbKind::Click);
    let errors = !p.errors_omitted && (p.errors > 0 || p.first_via == Some(NavKind::Load));
    let self_service = !p.journey.searches.is_empty() || !p.journey.articles.is_empty() || !p.journey.flows.is_empty();
    let present = [
        p.identity,
        !p.description.trim().is_empty(),
        p.route.is_some_and(|r| !r.is_empty()),
        activity,
        errors,
        self_service,
        p.page,
        p.environment,
    ];
    let missing: Vec<String> = PARTS.iter().zip(present).filter(|(_, ok)| !ok).map(|(name, _)| name.to_string()).collect();
    let share = (PARTS.len() - missing.len()) as f64 / PARTS.len() as f64;
    ((share * 100.0).round() / 100.0, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::context::{ArticleRecord, FlowOutcome, SearchRecord};

    fn bare<'a>(journey: &'a Journey) -> Present<'a> {
        Present {
            identity: false,
            description: "",
            route: Some("/"),
            first_via: Some(NavKind::Load),
            crumbs: &[CrumbKind::Navigation],
            routes: 1,
            errors: 0,
            errors_omitted: false,
            journey,
            page: false,
            environment: true,
        }
    }

    #[test]
    fn a_bare_session_scores_lower_than_a_rich_one() {
        let empty = Journey::default();
        let (bare_score, missing) = completeness(&bare(&empty));
        assert_eq!(bare_score, 0.38);
        assert_eq!(missing, ["identity", "description", "activity", "selfService", "page"]);

        let mut journey = Journey::default();
        journey.searches.push(SearchRecord { query: "pay".into(), at: 0.0, results: 2, answered: true, ..Default::default() });
        let rich = Present {
            identity: true,
            description: "I can't pay",
            crumbs: &[CrumbKind::Navigation, CrumbKind::Click, CrumbKind::Error],
            routes: 2,
            errors: 1,
            page: true,
            ..bare(&journey)
        };
        assert_eq!(completeness(&rich), (1.0, vec![]));
        let omitted = Present { errors_omitted: true, ..rich };
        assert_eq!(completeness(&omitted), (0.88, vec!["errors".to_string()]));
        let late = Present { first_via: Some(NavKind::Push), errors: 0, ..bare(&empty) };
        assert!(completeness(&late).1.contains(&"errors".to_string()), "no errors seen means nothing when capture came late");
    }

    #[test]
    fn progress_says_how_far_self_service_got() {
        let mut j = Journey::default();
        assert_eq!(progress(&j).reached, "none");
        j.searches.push(SearchRecord { query: "a".into(), at: 0.0, results: 0, answered: false, ..Default::default() });
        assert_eq!((progress(&j).reached.as_str(), progress(&j).unanswered_searches), ("searched", 1));
        j.articles.push(ArticleRecord { id: "x".into(), title: "X".into(), at: 1.0, helpful: None });
        assert_eq!(progress(&j).reached, "read");
        j.articles[0].helpful = Some(false);
        let p = progress(&j);
        assert_eq!((p.reached.as_str(), p.articles, p.not_helpful, p.helpful), ("answered", 1, 1, 0));
        j.flows.push(FlowRecord { id: "x".into(), step: 2, steps: 3, outcome: FlowOutcome::Failed, at: 2.0 });
        let p = progress(&j);
        assert_eq!(p.reached, "flow");
        assert_eq!(p.flow.map(|f| (f.step, f.steps)), Some((2, 3)));
    }
}
