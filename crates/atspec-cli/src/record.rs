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

/// The bytes each way, in the order they crossed; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    pieces: Arc<Mutex<Vec<(Way, Vec<u8>)>>>,
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
}
