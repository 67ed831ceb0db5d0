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

/// Serial port settings.
#[cfg(feature = "serial")]
#[derive(Debug, Clone)]
pub struct SerialSettings {
    /// Bits per second, for example 115200.
    pub baud_rate: u32,
    /// Hardware (RTS/CTS), software (XON/XOFF; unsafe with binary payloads) or none.
    pub flow_control: tokio_serial::FlowControl,
}

#[cfg(feature = "serial")]
impl Default for SerialSettings {
    fn default() -> Self {
        Self {
            baud_rate: 115_200,
            flow_control: tokio_serial::FlowControl::Hardware,
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
