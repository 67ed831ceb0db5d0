//! Opening transports. Any `AsyncRead + AsyncWrite` works with
//! [`Client::new`](crate::Client::new) (for example `tokio::io::duplex` in tests);
//! these helpers open the common real ones.

use tokio::net::{TcpStream, ToSocketAddrs};

/// Connects to a modem exposed over TCP (a serial-to-network bridge, an emulator).
pub async fn tcp(address: impl ToSocketAddrs) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect(address).await?;
    // Command lines are small and latency matters more than packet count.
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// The flow-control choice of [`SerialSettings`], re-exported so a user needs no
/// direct dependency on the serial crate.
#[cfg(feature = "serial")]
pub use tokio_serial::FlowControl;

/// Serial port settings.
#[cfg(feature = "serial")]
#[derive(Debug, Clone)]
pub struct SerialSettings {
    /// Bits per second, for example 115200.
    pub baud_rate: u32,
    /// None (the default: many boards wire only TX and RX, and a port waiting for
    /// CTS on such a board never sends), hardware (RTS/CTS) or software (XON/XOFF;
    /// unsafe with binary payloads).
    pub flow_control: FlowControl,
}

#[cfg(feature = "serial")]
impl Default for SerialSettings {
    fn default() -> Self {
        Self {
            baud_rate: 115_200,
            flow_control: FlowControl::None,
        }
    }
}

/// Opens a serial port (feature `serial`).
#[cfg(feature = "serial")]
pub fn serial(
    path: &str,
    settings: &SerialSettings,
) -> std::io::Result<tokio_serial::SerialStream> {
    use tokio_serial::SerialPortBuilderExt;
    tokio_serial::new(path, settings.baud_rate)
        .flow_control(settings.flow_control)
        .data_bits(tokio_serial::DataBits::Eight)
        .parity(tokio_serial::Parity::None)
        .stop_bits(tokio_serial::StopBits::One)
        .open_native_async()
        .map_err(std::io::Error::from)
}

#[cfg(all(test, feature = "serial"))]
mod tests {
    use super::{FlowControl, SerialSettings};

    #[test]
    fn the_default_settings_work_on_a_board_with_only_tx_and_rx() {
        let settings = SerialSettings::default();
        assert_eq!(settings.flow_control, FlowControl::None);
        assert_eq!(settings.baud_rate, 115_200);
    }
}
