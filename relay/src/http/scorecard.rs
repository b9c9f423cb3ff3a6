//! The continuity scorecard's routes: the widget's `POST /v1/events`, the numbers as JSON or CSV
//! (`GET /v1/scorecard`, bearer) and the page (`/scorecard`, signed in).

use super::auth::{Agent, Client, MaybeCustomer, Reader};
use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use baton_core::wire::{EventsAccepted, Scorecard, MAX_EVENTS_BODY};

/// `POST /v1/events`: a batch of KPI events, stored once per event id. JSON, or `text/plain` —
/// what `navigator.sendBeacon` sends at pagehide; a page on another site is refused by origin.
pub async fn receive(State(state): State<AppState>, MaybeCustomer(customer): MaybeCustomer, Client(client): Client, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<(StatusCode, Json<EventsAccepted>), AppError> {
    state.events_limiter.check(client).map_err(AppError::RateLimited)?;
    super::widget::body_type(&headers, &["application/json", "text/plain"])?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_EVENTS_BODY {
        return Err(AppError::BadEvents(format!("a batch is at most {MAX_EVENTS_BODY} bytes")));
    }
    let events = crate::events::accept(&body, crate::handoffs::now_ms(), customer.as_ref().map(|c| &c.session))?;
    let stored = state.store.add_events(&events).await?;
    Ok((StatusCode::ACCEPTED, Json(EventsAccepted { stored })))
}

/// Query of the scorecard: `from` and `to` as dates (`2026-12-01`) or ms since the epoch (default:
/// the last 28 days), `journey`, and `format=csv`.
#[derive(serde::Deserialize, Default)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    journey: String,
    #[serde(default)]
    format: String,
}

/// A date (`YYYY-MM-DD`, midnight UTC) or ms since the epoch.
pub fn instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(ms) = s.parse::<i64>() {
        return Some(ms);
    }
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
}

/// The period asked for: `[from, to)`, the journey.
pub fn period(q: &Period, now: i64) -> Result<((i64, i64), Option<String>), AppError> {
    let read = |s: &str, default: i64, name: &str| if s.trim().is_empty() { Ok(default) } else { instant(s).ok_or_else(|| AppError::BadRequest(format!("`{name}` is a date (2026-12-01) or ms since the epoch"))) };
    let to = read(&q.to, now, "to")?;
    let from = read(&q.from, to - 28 * 86_400_000, "from")?;
    if from >= to {
        return Err(AppError::BadRequest("`from` must come before `to`".into()));
    }
    Ok(((from, to), Some(q.journey.trim().to_string()).filter(|j| !j.is_empty())))
}

async fn numbers(state: &AppState, q: &Period) -> Result<Scorecard, AppError> {
    let now = crate::handoffs::now_ms();
    let (range, journey) = period(q, now)?;
    Ok(crate::scorecard::scorecard(&state.store, range, journey.as_deref(), state.config.repeat_window_ms(), now).await?)
}

/// `GET /v1/scorecard?from=&to=&journey=` (and `&format=csv`).
pub async fn json(_: Agent, State(state): State<AppState>, Query(q): Query<Period>) -> Result<Response, AppError> {
    let card = numbers(&state, &q).await?;
    if q.format == "csv" {
        let mut r = crate::scorecard::csv(&card).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        r.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"baton-scorecard.csv\""));
        return Ok(r);
    }
    Ok(Json(card).into_response())
}

/// `GET /scorecard`: the page, with the previous period beside it and twelve weeks of trend.
pub async fn page(reader: Reader, State(state): State<AppState>, Query(q): Query<Period>) -> Result<Response, AppError> {
    let now = crate::handoffs::now_ms();
    let ((from, to), journey) = period(&q, now)?;
    let window = state.config.repeat_window_ms();
    let (card, before, weeks) = crate::scorecard::with_trend(&state.store, (from, to), journey.as_deref(), window, now).await?;
    Ok(crate::pages::scorecard::page(&card, &before, &weeks, journey.as_deref().unwrap_or(""), reader.actor.label()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_midnight_utc() {
        assert_eq!(super::instant("1970-01-01"), Some(0));
        assert_eq!(super::instant("2026-12-07"), Some(1_796_601_600_000));
        assert_eq!(super::instant("2000-03-01"), Some(951_868_800_000));
        assert_eq!(super::instant("1796601600000"), Some(1_796_601_600_000));
        assert_eq!(super::instant("2026-13-01"), None);
        assert_eq!(super::instant("soon"), None);
    }
}
