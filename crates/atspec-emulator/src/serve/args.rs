//! The options of `atspec emulate`, parsed into [`ServeOptions`].

use std::net::SocketAddr;
use std::time::Duration;

use super::{Listen, ServeOptions, Vendor};
use crate::client::ftp::FtpTls;
use crate::demo::Fault;
use crate::modem::{Chunking, Gaps, ModemOptions};
use crate::modems::cellular::{NetworkOptions, Outcome, Registration, Settle};

/// What `atspec emulate` prints for `--help` or a mistake.
pub const USAGE: &str = "\
usage: atspec emulate <sim800|sim808|a76xx|esp-at|ec200u> [options]

Runs loopback HTTP, HTTPS and FTP servers and one emulated modem until Ctrl+C.

  --tcp <addr>          listen for the modem's line on a TCP address
                        (default 127.0.0.1:0, a free port; a fresh module per connection)
  --pty                 open a pseudo-terminal instead (Unix) and print its path
  --ftp <mode>          FTP server security: plain (default), explicit or implicit
  --echo                echo command lines (ATE1)
  --chunks <how>        cut the modem's output: whole (default), bytes or random
  --baud <n>            throttle the modem's output to a UART of n baud
  --inject-urc <line>   write this unrelated URC before every answer line (repeatable)
  --delay-ms <n>        wait n ms before each answer (a slow module)
  --registration-delay-ms <n>
                        cellular modules search (AT+CREG? and friends answer 2) for
                        n ms after power-on before they register (default: at once)
  --fault <name>        the demo's faults: http-down (the HTTP servers are gone) or
                        ftp-refuse-login (the FTP server refuses every login)";

/// Parses the arguments after the program name; the message says what is wrong.
pub fn parse_args(args: &[String]) -> Result<ServeOptions, String> {
    let mut rest = args.iter().map(String::as_str);
    let vendor = rest.next().ok_or("name the module to emulate")?;
    let vendor = Vendor::parse(vendor).ok_or_else(|| {
        format!(
            "unknown module `{vendor}`; known: {}",
            Vendor::NAMES.join(", ")
        )
    })?;
    let mut options = ServeOptions {
        vendor,
        listen: Listen::Tcp(SocketAddr::from(([127, 0, 0, 1], 0))),
        // The standing emulator says which lines it answered ERROR for want of emulation.
        modem: ModemOptions {
            gaps: Gaps::printing(),
            ..ModemOptions::default()
        },
        ftp_tls: FtpTls::Plain,
        network: NetworkOptions::default(),
        fault: None,
    };
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().ok_or(format!("`{flag}` needs a value"));
        match flag {
            "--tcp" => {
                let addr = value()?;
                let addr = addr
                    .parse()
                    .map_err(|_| format!("`--tcp {addr}`: not an address like 127.0.0.1:5000"))?;
                options.listen = Listen::Tcp(addr);
            }
            "--pty" => options.listen = Listen::Pty,
            "--ftp" => {
                options.ftp_tls = match value()? {
                    "plain" => FtpTls::Plain,
                    "explicit" => FtpTls::Explicit,
                    "implicit" => FtpTls::Implicit,
                    other => {
                        return Err(format!("`--ftp {other}`: use plain, explicit or implicit"));
                    }
                }
            }
            "--echo" => options.modem.echo = true,
            "--chunks" => {
                options.modem.chunking = match value()? {
                    "whole" => Chunking::Whole,
                    "bytes" => Chunking::Bytes,
                    "random" => Chunking::Random(1),
                    other => {
                        return Err(format!("`--chunks {other}`: use whole, bytes or random"));
                    }
                }
            }
            "--baud" => options.modem.baud = Some(number(flag, value()?)?),
            "--delay-ms" => {
                options.modem.delay = Duration::from_millis(number(flag, value()?)?.into())
            }
            "--registration-delay-ms" => {
                let delay = Duration::from_millis(number(flag, value()?)?.into());
                options.network = NetworkOptions::default().registering(Registration {
                    outcome: Outcome::Home,
                    settle: Settle::After(delay),
                });
            }
            "--inject-urc" => {
                // The options hold `'static` lines; a handful per process is fine to keep.
                let line: &'static str = Box::leak(value()?.to_owned().into_boxed_str());
                if line.contains(['\r', '\n']) {
                    return Err("`--inject-urc`: one line, without CR or LF".to_owned());
                }
                options.modem.inject_urcs.push(line);
            }
            "--fault" => {
                let name = value()?;
                let fault = Fault::parse(name).ok_or_else(|| {
                    format!("`--fault {name}`: use {}", Fault::NAMES.join(" or "))
                })?;
                options.fault = Some(fault);
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

fn number(flag: &str, text: &str) -> Result<u32, String> {
    text.parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{flag} {text}`: a positive whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ServeOptions, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        parse_args(&args)
    }

    #[test]
    fn every_option_lands_in_the_settings() {
        let options = parse(
            "esp-at --tcp 127.0.0.1:5000 --ftp implicit --echo --chunks bytes --baud 115200 \
             --inject-urc RDY --inject-urc +CREG:1 --delay-ms 20 --registration-delay-ms 1500 \
             --fault ftp-refuse-login",
        )
        .unwrap();
        assert_eq!(options.vendor, Vendor::EspAt);
        assert_eq!(
            options.listen,
            Listen::Tcp("127.0.0.1:5000".parse().unwrap())
        );
        assert_eq!(options.ftp_tls, FtpTls::Implicit);
        assert!(options.modem.echo);
        assert_eq!(options.modem.chunking, Chunking::Bytes);
        assert_eq!(options.modem.baud, Some(115_200));
        assert_eq!(options.modem.inject_urcs, ["RDY", "+CREG:1"]);
        assert_eq!(options.modem.delay, Duration::from_millis(20));
        let searching = Settle::After(Duration::from_millis(1500));
        assert_eq!(options.network.circuit.settle, searching);
        assert_eq!(options.network.packet.settle, searching);
        assert_eq!(options.fault, Some(Fault::FtpRefuseLogin));
        assert_eq!(parse("sim800 --pty").unwrap().listen, Listen::Pty);
        assert_eq!(parse("esp_at").unwrap().vendor, Vendor::EspAt);
        assert_eq!(parse("sim808 --pty").unwrap().vendor, Vendor::Sim808);
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        let cases = [
            ("", "name the module"),
            (
                "sim900",
                "unknown module `sim900`; known: sim800, sim808, a76xx, esp-at, ec200u",
            ),
            ("sim800 --tcp", "`--tcp` needs a value"),
            ("sim800 --tcp localhost", "not an address"),
            ("sim800 --ftp sftp", "use plain, explicit or implicit"),
            ("sim800 --chunks half", "use whole, bytes or random"),
            ("sim800 --baud 0", "a positive whole number"),
            (
                "sim800 --registration-delay-ms soon",
                "a positive whole number",
            ),
            ("sim800 --verbose", "unknown option `--verbose`"),
            (
                "sim800 --fault power-cut",
                "use http-down or ftp-refuse-login",
            ),
        ];
        for (line, want) in cases {
            let err = parse(line).unwrap_err();
            assert!(err.contains(want), "{line:?}: {err}");
        }
    }
}
