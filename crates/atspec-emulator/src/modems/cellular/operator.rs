//! The operator and the subscriber: AT+COPS (read, test, automatic selection and the
//! format of later reads) and AT+CIMI, with a made-up test network (MCC 001, MNC 01,
//! the code 3GPP reserves for test networks) and a made-up IMSI on it.

use atspec_common::Command as Basic;
use atspec_common::network::{
    AccessTechnology, Operator as OperatorLine, OperatorFormat, OperatorSelection, Operators,
};
use atspec_common::sim::Imsi;
use atspec_common::v250::CmeError;

use super::reply::encode;

/// The emulated network's names, in the three formats of AT+COPS.
const LONG_NAME: &str = "Test Network";
const SHORT_NAME: &str = "TESTNET";
const NUMERIC: &str = "00101";
/// The SIM's subscriber identity on that network.
const IMSI: &str = "001010000000001";

/// What an operator command answers: information lines, or the +CME ERROR code.
pub(super) type Answer = Result<Vec<Vec<u8>>, CmeError>;

/// The format AT+COPS reads the operator in (AT+COPS=3,<format> sets it).
#[derive(Debug)]
pub(super) struct Operator {
    format: OperatorFormat,
}

impl Default for Operator {
    fn default() -> Self {
        Self {
            format: OperatorFormat::LongAlphanumeric,
        }
    }
}

impl Operator {
    /// The answer to `command`, or `None` when it is no operator command. `registered`
    /// says whether the module is registered now, with access technology `act`.
    pub(super) fn answer(
        &mut self,
        command: &Basic,
        registered: bool,
        act: Option<AccessTechnology>,
    ) -> Option<Answer> {
        Some(match command {
            Basic::CopsRead(_) => {
                let line = if registered {
                    OperatorLine {
                        mode: OperatorSelection::Automatic,
                        format: Some(self.format),
                        oper: Some(self.name(self.format).to_owned()),
                        act,
                    }
                } else {
                    OperatorLine {
                        mode: OperatorSelection::Automatic,
                        format: None,
                        oper: None,
                        act: None,
                    }
                };
                Ok(vec![encode(|o| line.encode(o))])
            }
            Basic::CopsTest(_) => {
                let act = act.map(|a| format!(",{}", a.code())).unwrap_or_default();
                let list =
                    format!("(2,\"{LONG_NAME}\",\"{SHORT_NAME}\",\"{NUMERIC}\"{act}),,(0-4),(0-2)");
                Ok(vec![encode(|o| Operators { list }.encode(o))])
            }
            Basic::CopsWrite(c) => self.select(c.mode(), c.format(), c.oper()),
            Basic::CimiExec(_) => Ok(vec![encode(|o| {
                Imsi {
                    imsi: IMSI.to_owned(),
                }
                .encode(o)
            })]),
            _ => return None,
        })
    }

    /// AT+COPS=<mode>[,<format>[,<oper>]]: automatic selection and the read format are
    /// taken, manual selection of the one network there is too; deregistering is not
    /// emulated.
    fn select(
        &mut self,
        mode: Option<OperatorSelection>,
        format: Option<OperatorFormat>,
        oper: Option<&str>,
    ) -> Answer {
        if let Some(OperatorFormat::Unlisted(_)) = format {
            return Err(CmeError::IncorrectParameters);
        }
        match mode.unwrap_or(OperatorSelection::Automatic) {
            OperatorSelection::Automatic | OperatorSelection::SetFormat => {}
            OperatorSelection::Manual | OperatorSelection::ManualThenAutomatic => {
                let wanted = format.unwrap_or(self.format);
                if oper != Some(self.name(wanted)) {
                    return Err(CmeError::NoNetworkService);
                }
            }
            _ => {
                return Err(CmeError::OperationNotSupported);
            }
        }
        if let Some(format) = format {
            self.format = format;
        }
        Ok(Vec::new())
    }

    fn name(&self, format: OperatorFormat) -> &'static str {
        match format {
            OperatorFormat::ShortAlphanumeric => SHORT_NAME,
            OperatorFormat::Numeric => NUMERIC,
            _ => LONG_NAME,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(answer: Option<Answer>) -> Vec<String> {
        answer
            .expect("an operator command")
            .expect("answered")
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    fn parse(line: &str) -> Basic {
        Basic::parse(line.as_bytes()).unwrap()
    }

    #[test]
    fn the_operator_reads_in_the_format_last_set_and_only_while_registered() {
        let mut operator = Operator::default();
        let read = parse("AT+COPS?");
        assert_eq!(
            text(operator.answer(&read, true, None)),
            ["+COPS: 0,0,\"Test Network\""]
        );
        assert_eq!(text(operator.answer(&read, false, None)), ["+COPS: 0"]);
        text(operator.answer(&parse("AT+COPS=3,2"), true, None));
        assert_eq!(
            text(operator.answer(&read, true, Some(AccessTechnology::EUtran))),
            ["+COPS: 0,2,\"00101\",7"]
        );
        let wrong = operator.answer(&parse("AT+COPS=1,2,\"99999\""), true, None);
        assert_eq!(wrong, Some(Err(CmeError::NoNetworkService)));
        let deregister = operator.answer(&parse("AT+COPS=2"), true, None);
        assert_eq!(deregister, Some(Err(CmeError::OperationNotSupported)));
    }

    #[test]
    fn the_subscriber_identity_is_fifteen_digits_of_the_test_network() {
        let lines = text(Operator::default().answer(&parse("AT+CIMI"), true, None));
        assert_eq!(lines, [IMSI]);
        assert!(IMSI.starts_with(NUMERIC) && IMSI.len() == 15);
    }
}
