//! `atspec term`: an interactive terminal on the modem.

pub mod complete;
