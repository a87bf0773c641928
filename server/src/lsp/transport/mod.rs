//! The server's transport: frames read from the client are checked here
//! before the protocol server behind sees them, so that no malformed frame
//! can end the session.
//!
//! Input is split into frames ([`frame`]) and bodies read as messages
//! ([`message`]); every message is passed on re-framed, every bad frame is
//! answered with its JSON-RPC error and skipped. Requests for `$/` methods are
//! answered `MethodNotFound` here. Output frames of the server and these
//! answers are merged at frame boundaries.

mod frame;
mod message;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::Server;
use tower_lsp_server::jsonrpc::{ErrorCode, Id, Response};

use self::frame::{Frame, FrameParser, MAX_MESSAGE};
use self::message::{Message, refusal};

/// Bytes buffered between this layer and the protocol server, each way.
const PIPE: usize = 1 << 20;

/// Bytes read from the client at a time.
const CHUNK: usize = 64 << 10;

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The client sent `exit`, after `shutdown` or not.
    Exit { after_shutdown: bool },
    /// The client closed the input.
    EndOfInput,
}

/// Serves the protocol on `input`/`output` until `exit` or the end of input.
pub async fn serve<R, W>(input: R, output: W) -> Ending
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (service, socket) = super::service();
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let (answers, answered) = mpsc::unbounded_channel();
    let server = Server::new(server_input, server_output, socket).serve(service);
    let (ending, (), ()) = tokio::join!(
        read_client(input, to_server, answers),
        server,
        write_client(from_server, answered, output),
    );
    ending
}

/// Reads the client's frames: messages go on to the server, bad frames and
/// `$/` requests are answered through `answers`.
async fn read_client<R: AsyncRead + Unpin>(
    mut input: R,
    mut to_server: DuplexStream,
    answers: mpsc::UnboundedSender<Response>,
) -> Ending {
    let mut frames = FrameParser::new(MAX_MESSAGE);
    let mut after_shutdown = false;
    let mut chunk = vec![0; CHUNK];
    loop {
        while let Some(frame) = frames.next_frame() {
            let body = match frame {
                Frame::Message(body) => body,
                Frame::Bad(error) => {
                    tracing::warn!(%error, "refused a frame");
                    let _ =
                        answers.send(refusal(Id::Null, ErrorCode::ParseError, &error.to_string()));
                    continue;
                }
            };
            let message = match Message::read(&body) {
                Ok(message) => message,
                Err(refused) => {
                    let error = refused.answer.error().map(|e| e.message.as_ref());
                    tracing::warn!(error, "refused a message");
                    if refused.not_json {
                        frames.resync();
                    }
                    let _ = answers.send(refused.answer);
                    continue;
                }
            };
            let mut exit = false;
            if let Message::Request(request) = &message {
                let method = request.method();
                if let (Some(id), true) = (request.id(), method.starts_with("$/")) {
                    let _ = answers.send(refusal(
                        id.clone(),
                        ErrorCode::MethodNotFound,
                        &format!("{method} is not supported"),
                    ));
                    continue;
                }
                after_shutdown |= method == "shutdown" && request.id().is_some();
                exit = method == "exit";
            }
            if write_frame(&mut to_server, &message.to_json())
                .await
                .is_err()
            {
                return Ending::EndOfInput;
            }
            if exit {
                return Ending::Exit { after_shutdown };
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) => return Ending::EndOfInput,
            Ok(n) => frames.push(&chunk[..n]),
            Err(error) => {
                tracing::warn!(%error, "cannot read the client's input");
                return Ending::EndOfInput;
            }
        }
    }
}

/// Writes the server's frames and this layer's answers to the client, each
/// frame whole, until both sources are done.
async fn write_client<W: AsyncWrite + Unpin>(
    mut from_server: DuplexStream,
    mut answered: mpsc::UnboundedReceiver<Response>,
    mut output: W,
) {
    let mut frames = FrameParser::new(usize::MAX);
    let mut chunk = vec![0; CHUNK];
    let (mut server_open, mut answers_open) = (true, true);
    while server_open || answers_open {
        let written = tokio::select! {
            read = from_server.read(&mut chunk), if server_open => match read {
                Ok(n) if n > 0 => {
                    frames.push(&chunk[..n]);
                    write_frames(&mut frames, &mut output).await
                }
                _ => {
                    server_open = false;
                    Ok(())
                }
            },
            answer = answered.recv(), if answers_open => match answer {
                Some(answer) => match serde_json::to_vec(&answer) {
                    Ok(body) => write_frame(&mut output, &body).await,
                    Err(_) => Ok(()),
                },
                None => {
                    answers_open = false;
                    Ok(())
                }
            },
        };
        if let Err(error) = written {
            tracing::warn!(%error, "cannot write to the client");
            return;
        }
    }
}

/// Writes the server's complete frames (it writes no others).
async fn write_frames<W: AsyncWrite + Unpin>(
    frames: &mut FrameParser,
    output: &mut W,
) -> std::io::Result<()> {
    while let Some(frame) = frames.next_frame() {
        if let Frame::Message(body) = frame {
            write_frame(output, &body).await?;
        }
    }
    Ok(())
}

async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    out.write_all(header.as_bytes()).await?;
    out.write_all(body).await?;
    out.flush().await
}
