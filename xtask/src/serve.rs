//! A tiny HTTP server for looking at the built page in a browser.
//!
//! It listens on 127.0.0.1 only and answers `GET /` (and the page's own name)
//! with the single-file page, read again on every request so that a rebuild
//! shows on reload. Everything else is 404. It is a convenience for
//! development, not a web server to deploy: the page itself needs none.

use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// Longest request head the server reads before answering 400.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// How long a connection may stay silent before it is dropped.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The page to serve does not exist yet.
    MissingPage {
        /// The expected file.
        path: PathBuf,
    },
    /// The port could not be opened (in use, or not allowed).
    Bind {
        /// The port asked for.
        port: u16,
        /// What the system said.
        source: io::Error,
    },
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingPage { path } => write!(
                f,
                "{} does not exist; build it first with scripts/build-page.sh",
                path.display()
            ),
            Self::Bind { port, source } => {
                write!(f, "cannot listen on 127.0.0.1:{port}: {source}")
            }
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::MissingPage { .. } => None,
            Self::Bind { source, .. } => Some(source),
        }
    }
}

/// Serves `page` on 127.0.0.1:`port` (0 picks a free port) until the process
/// is stopped. Prints the URL and the file served.
pub fn serve(page: &Path, port: u16) -> Result<(), ServeError> {
    if !page.is_file() {
        return Err(ServeError::MissingPage {
            path: page.to_path_buf(),
        });
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|source| ServeError::Bind { port, source })?;
    let address = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { port, source })?;
    let page = fs::canonicalize(page).unwrap_or_else(|_| page.to_path_buf());

    println!("serve: {}", page.display());
    println!("serve: open http://{address}/ (Ctrl+C stops the server)");

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let page = page.clone();
        // One thread per connection, so that a browser's idle speculative
        // connection cannot hold up the one that carries the request.
        thread::spawn(move || {
            if let Err(error) = answer(stream, &page) {
                eprintln!("serve: connection dropped: {error}");
            }
        });
    }
    Ok(())
}

/// Reads one request from `stream` and answers it.
fn answer(stream: TcpStream, page: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(request_line) = read_head(&mut reader)? else {
        return respond(
            stream,
            "400 Bad Request",
            "text/plain",
            b"bad request\n",
            true,
        );
    };

    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let with_body = method != "HEAD";
    if method != "GET" && method != "HEAD" {
        return respond(
            stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            with_body,
        );
    }
    let page_name = page
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    if path != "/" && path.strip_prefix('/') != Some(page_name) {
        return respond(
            stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            with_body,
        );
    }

    match fs::read(page) {
        Ok(body) => respond(
            stream,
            "200 OK",
            "text/html; charset=utf-8",
            &body,
            with_body,
        ),
        Err(error) => {
            let message = format!("cannot read {}: {error}\n", page.display());
            respond(
                stream,
                "500 Internal Server Error",
                "text/plain",
                message.as_bytes(),
                with_body,
            )
        }
    }
}

/// Reads the request head and returns its first line, or `None` when the
/// head is empty or longer than [`MAX_HEAD_BYTES`].
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut first_line = None;
    let mut total = 0;
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line)?;
        total += read;
        if read == 0 || total > MAX_HEAD_BYTES {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Ok(first_line);
        }
        if first_line.is_none() {
            first_line = Some(line.to_owned());
        }
    }
}

fn respond(
    mut stream: TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_head_gives_its_first_line() {
        let mut head: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

        assert_eq!(
            read_head(&mut head).unwrap().as_deref(),
            Some("GET / HTTP/1.1")
        );
    }

    #[test]
    fn a_head_cut_short_is_no_request() {
        let mut head: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";

        assert_eq!(read_head(&mut head).unwrap(), None);
    }
}
