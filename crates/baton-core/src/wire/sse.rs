//! Reading a stream of server-sent events (the relay's `GET /v1/stream`) as bytes arrive: the
//! widget reads the stream with `fetch` (so that its session goes in a header, never the URL)
//! and resumes with `Last-Event-ID` itself.

/// One event: its name (`message` when unnamed), its id, and its data lines joined.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SseEvent {
    /// `event:`.
    pub event: String,
    /// `id:`, when given.
    pub id: Option<String>,
    /// `data:` lines, joined by newlines.
    pub data: String,
}

/// Bytes in, events out; a chunk may end anywhere (inside a line or a UTF-8 character).
#[derive(Default)]
pub struct SseReader {
    buffer: Vec<u8>,
}

/// Longest event kept waiting for its end, in bytes (a stream that never ends one is cut).
const MAX_PENDING: usize = 1 << 20;

impl SseReader {
    /// Adds `chunk` and returns the events it completed (comments and keep-alives skipped).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        loop {
            let Some(end) = find_blank_line(&self.buffer) else { break };
            let (block, rest) = (self.buffer[..end.0].to_vec(), self.buffer[end.1..].to_vec());
            self.buffer = rest;
            if let Some(e) = parse_block(&String::from_utf8_lossy(&block)) {
                events.push(e);
            }
        }
        if self.buffer.len() > MAX_PENDING {
            self.buffer.clear();
        }
        events
    }
}

/// The first blank line: (where the block ends, where the next begins).
fn find_blank_line(b: &[u8]) -> Option<(usize, usize)> {
    (0..b.len()).find_map(|i| match &b[i..] {
        [b'\n', b'\n', ..] => Some((i, i + 2)),
        [b'\r', b'\n', b'\r', b'\n', ..] => Some((i, i + 4)),
        _ => None,
    })
}

fn parse_block(block: &str) -> Option<SseEvent> {
    let mut e = SseEvent { event: "message".into(), ..Default::default() };
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
        match field {
            "event" => e.event = value.to_string(),
            "id" => e.id = Some(value.to_string()),
            "data" => data.push(value),
            _ => {}
        }
    }
    if data.is_empty() {
        return None;
    }
    e.data = data.join("\n");
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_across_chunks_and_keep_alives_skipped() {
        let mut r = SseReader::default();
        assert!(r.push(b":\n\nevent: unread\ndata: {\"unr").is_empty());
        let got = r.push(b"ead\":2}\n\nid: 7\nevent: update\ndata: {\"body\":\"caf\xc3").into_iter().collect::<Vec<_>>();
        assert_eq!(got, vec![SseEvent { event: "unread".into(), id: None, data: "{\"unread\":2}".into() }]);
        let got = r.push(b"\xa9\"}\r\n\r\n");
        assert_eq!(got, vec![SseEvent { event: "update".into(), id: Some("7".into()), data: "{\"body\":\"café\"}".into() }]);
        assert_eq!(r.push(b"data: a\ndata: b\n\n")[0].data, "a\nb");
    }
}
