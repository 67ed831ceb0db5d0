//! What crossed the line, kept for explaining: `at` and `term` decode the bytes of
//! each exchange after it, through the same decoder as `atspec decode`.

use std::sync::{Arc, Mutex, PoisonError};

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// From the host to the modem.
    Host,
    /// From the modem to the host.
    Modem,
}

/// Runs of bytes, each with the way it went.
type Pieces = Vec<(Way, Vec<u8>)>;

/// The bytes each way, in the order they crossed; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    pieces: Arc<Mutex<Pieces>>,
}

impl Recorder {
    /// Notes `bytes` going `way`; consecutive bytes of one way join one piece.
    pub fn bytes(&self, way: Way, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut pieces = self.pieces.lock().unwrap_or_else(PoisonError::into_inner);
        match pieces.last_mut() {
            Some((last, piece)) if *last == way => piece.extend_from_slice(bytes),
            _ => pieces.push((way, bytes.to_vec())),
        }
    }

    /// Everything recorded since the last call.
    pub fn take(&self) -> Vec<(Way, Vec<u8>)> {
        std::mem::take(&mut *self.pieces.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Everything recorded since the last call, once it ends with a whole line (so a
    /// URC still arriving is not explained half-read); `None` until then.
    pub fn take_whole_lines(&self) -> Option<Vec<(Way, Vec<u8>)>> {
        let mut pieces = self.pieces.lock().unwrap_or_else(PoisonError::into_inner);
        let (_, last) = pieces.last()?;
        if !last.ends_with(b"\n") {
            return None;
        }
        Some(std::mem::take(&mut *pieces))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_runs_of_one_way_and_hands_each_byte_over_once() {
        let recorder = Recorder::default();
        let tap = recorder.clone();
        tap.bytes(Way::Host, b"AT");
        tap.bytes(Way::Host, b"\r");
        tap.bytes(Way::Modem, b"\r\nOK\r\n");
        tap.bytes(Way::Modem, b"");
        assert_eq!(
            recorder.take(),
            [
                (Way::Host, b"AT\r".to_vec()),
                (Way::Modem, b"\r\nOK\r\n".to_vec())
            ]
        );
        assert!(recorder.take().is_empty());
    }

    #[test]
    fn a_line_still_arriving_is_kept_until_it_is_whole() {
        let recorder = Recorder::default();
        assert_eq!(recorder.take_whole_lines(), None);
        recorder.bytes(Way::Modem, b"\r\n+CREG: ");
        assert_eq!(recorder.take_whole_lines(), None);
        recorder.bytes(Way::Modem, b"1\r\n");
        assert_eq!(
            recorder.take_whole_lines(),
            Some(vec![(Way::Modem, b"\r\n+CREG: 1\r\n".to_vec())])
        );
        assert!(recorder.take().is_empty());
    }
}
