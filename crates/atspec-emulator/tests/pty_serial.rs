//! A serial-port client attaches to an emulated modem through a pseudo-terminal,
//! exactly as it would to a module on a UART, and runs an HTTP GET.
#![cfg(unix)]

use atspec::transport::{SerialSettings, serial};
use atspec::{Client, Config};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, ModemOptions, pty};
use atspec_emulator::modems::sim800::Sim800;
use atspec_emulator::payload;
use atspec_sim800::bearer::SapbrOpenWrite;
use atspec_sim800::http::{
    HttpMethod, HttpactionWrite, HttpinitExec, HttpparaCidWrite, HttpparaUrlWrite, HttpreadExec,
};
use atspec_sim800::{DIALECT, Urc};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serial_client_on_the_pty_runs_a_get() {
    let server = HttpServer::start().await;
    let (master, slave) = pty::open().unwrap();
    modem::spawn(
        Sim800::new(),
        master,
        ModemOptions {
            echo: true,
            ..ModemOptions::default()
        },
    );
    let settings = SerialSettings {
        baud_rate: 115_200,
        flow_control: tokio_serial::FlowControl::None,
    };
    let port = serial(slave.path().to_str().unwrap(), &settings).unwrap();
    let client: Client<Urc> = Client::new(port, &DIALECT, Config::default());

    client.send(&SapbrOpenWrite::new(1).unwrap()).await.unwrap();
    client.send(&HttpinitExec::new()).await.unwrap();
    client
        .send(&HttpparaCidWrite::new(1).unwrap())
        .await
        .unwrap();
    client
        .send(&HttpparaUrlWrite::new(&server.url("/bytes/2048?seed=5")).unwrap())
        .await
        .unwrap();
    let (_, done) = client
        .send_deferred(&HttpactionWrite::new(HttpMethod::from_code(0)).unwrap())
        .await
        .unwrap();
    assert_eq!((done.status_code.code(), done.data_len), (200, 2048));
    let mut body = Vec::new();
    client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .unwrap();
    assert_eq!(body, payload(2048, 5));
}
