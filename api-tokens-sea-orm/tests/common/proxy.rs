//! A TCP proxy a test can stop and start, to take a database server away and bring it
//! back without touching the server.

use std::net::SocketAddr;
use std::sync::Mutex;

use tokio::net::{TcpSocket, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Forwards connections from a local port to `target` while running.
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    target: SocketAddr,
    running: Mutex<Option<JoinHandle<()>>>,
}

impl Proxy {
    /// Starts a proxy to `target` on a free local port.
    pub fn start(target: SocketAddr) -> Self {
        let listener = bind("127.0.0.1:0".parse().expect("address"));
        let proxy = Self {
            addr: listener.local_addr().expect("local address"),
            target,
            running: Mutex::new(None),
        };
        proxy.serve(listener);
        proxy
    }

    /// Closes the port and cuts every forwarded connection: clients see the server go.
    pub fn stop(&self) {
        if let Some(task) = self.running.lock().expect("proxy state").take() {
            task.abort();
        }
    }

    /// Listens on the same port again.
    pub fn resume(&self) {
        self.serve(bind(self.addr));
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let target = self.target;
        let task = tokio::spawn(async move {
            // Dropping the set (when this task is aborted) aborts every connection in it.
            let mut connections = JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        *self.running.lock().expect("proxy state") = Some(task);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop();
    }
}

fn bind(addr: SocketAddr) -> tokio::net::TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    // The port is reused right after `stop`, while old connections may linger.
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(addr).expect("bind the proxy port");
    socket.listen(64).expect("listen")
}
