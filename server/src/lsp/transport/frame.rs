//! The base protocol's frames over a byte buffer: header lines, a blank line,
//! a body of `Content-Length` bytes. Pure and synchronous: push bytes, pull
//! frames. A header the parser cannot read is reported once and the stream is
//! resynchronised at the next `Content-Length` header; it never ends the
//! stream and never allocates more than the maximum message size.

use thiserror::Error;

/// The largest body accepted by default, in bytes.
pub const MAX_MESSAGE: usize = 64 << 20;

/// The longest header line accepted, in bytes.
const MAX_HEADER_LINE: usize = 8 << 10;

/// The header that frames a message, as the resynchronisation looks for it.
const CONTENT_LENGTH: &[u8] = b"content-length";

/// What the parser read: a body, or a header it refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Message(Vec<u8>),
    Bad(FrameError),
}

/// A header block that frames no message.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FrameError {
    #[error(
        "header line {line:?} is not `Name: value`; every header line is a name, a colon and a value"
    )]
    NotAHeader { line: String },
    #[error(
        "header line {line:?} holds `Content-Length` after other bytes; the bytes before it are garbled"
    )]
    Garbled { line: String },
    #[error(
        "Content-Length {value:?} is not a number of bytes; send the body's length in bytes as decimal digits"
    )]
    BadLength { value: String },
    #[error("Content-Length {value} is over the limit of {max} bytes; the message is refused")]
    TooLarge { value: String, max: usize },
    #[error("Content-Length is given twice, as {first} and {second}; send it once")]
    TwoLengths { first: usize, second: usize },
    #[error("the headers end without a Content-Length header; every message needs one")]
    NoLength,
    #[error("a header line is longer than {max} bytes")]
    LongLine { max: usize },
}

#[derive(Debug)]
enum State {
    /// Reading header lines; `started` once a header line was read.
    Headers {
        length: Option<usize>,
        started: bool,
    },
    /// Waiting for a body of `length` bytes.
    Body { length: usize },
    /// Looking for the next `Content-Length` header after a bad frame.
    Resync,
}

/// Frames out of a stream of bytes that arrives in pieces of any size.
#[derive(Debug)]
pub struct FrameParser {
    buffer: Vec<u8>,
    /// Bytes before `start` are consumed.
    start: usize,
    state: State,
    max: usize,
}

impl FrameParser {
    /// A parser refusing bodies longer than `max` bytes.
    pub fn new(max: usize) -> FrameParser {
        FrameParser {
            buffer: Vec::new(),
            start: 0,
            state: State::Headers {
                length: None,
                started: false,
            },
            max,
        }
    }

    /// Appends bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Skips to the next `Content-Length` header: after a body that was not
    /// a message, whose declared length may have been wrong.
    pub fn resync(&mut self) {
        self.state = State::Resync;
    }

    /// The next frame, or `None` until more bytes are pushed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            let pending = &self.buffer[self.start..];
            match self.state {
                State::Body { length } => {
                    if pending.len() < length {
                        return None;
                    }
                    let body = pending[..length].to_vec();
                    self.start += length;
                    self.state = State::Headers {
                        length: None,
                        started: false,
                    };
                    return Some(Frame::Message(body));
                }
                State::Resync => match find_content_length(pending) {
                    Some(at) => {
                        self.start += at;
                        self.state = State::Headers {
                            length: None,
                            started: false,
                        };
                    }
                    None => {
                        // Keep what could be the start of a split header name.
                        let keep = pending.len().min(CONTENT_LENGTH.len() - 1);
                        self.start += pending.len() - keep;
                        return None;
                    }
                },
                State::Headers { length, started } => {
                    let Some(end) = pending.iter().position(|&b| b == b'\n') else {
                        if pending.len() > MAX_HEADER_LINE {
                            return Some(self.refuse(FrameError::LongLine {
                                max: MAX_HEADER_LINE,
                            }));
                        }
                        return None;
                    };
                    if end > MAX_HEADER_LINE {
                        return Some(self.refuse(FrameError::LongLine {
                            max: MAX_HEADER_LINE,
                        }));
                    }
                    let line = pending[..end]
                        .strip_suffix(b"\r")
                        .unwrap_or(&pending[..end]);
                    if line.is_empty() {
                        self.start += end + 1;
                        match (length, started) {
                            // A blank line between messages frames nothing.
                            (_, false) => {}
                            (Some(length), true) => self.state = State::Body { length },
                            (None, true) => {
                                self.state = State::Resync;
                                return Some(Frame::Bad(FrameError::NoLength));
                            }
                        }
                        continue;
                    }
                    match header(line, self.max) {
                        Ok(Header::Length(second)) => match length {
                            Some(first) if first != second => {
                                return Some(self.refuse(FrameError::TwoLengths { first, second }));
                            }
                            _ => {
                                self.state = State::Headers {
                                    length: Some(second),
                                    started: true,
                                }
                            }
                        },
                        Ok(Header::Other) => {
                            self.state = State::Headers {
                                length,
                                started: true,
                            }
                        }
                        Err(error) => return Some(self.refuse(error)),
                    }
                    self.start += end + 1;
                }
            }
        }
    }

    /// Reports a bad header line and resynchronises from just after the
    /// line's first byte, so that a `Content-Length` later in it is found.
    fn refuse(&mut self, error: FrameError) -> Frame {
        self.start += 1;
        self.state = State::Resync;
        Frame::Bad(error)
    }
}

enum Header {
    Length(usize),
    Other,
}

/// One header line, without its line end. Names are case-insensitive;
/// headers other than `Content-Length` are accepted and ignored.
fn header(line: &[u8], max: usize) -> Result<Header, FrameError> {
    let quoted = || shown(line);
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(FrameError::NotAHeader { line: quoted() });
    };
    let name = line[..colon].trim_ascii();
    if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
        return Err(if find_content_length(line).is_some() {
            FrameError::Garbled { line: quoted() }
        } else {
            FrameError::NotAHeader { line: quoted() }
        });
    }
    if !name.eq_ignore_ascii_case(CONTENT_LENGTH) {
        // Bytes glued before the header name (the tail of a bad frame) hide a
        // real header: refuse the line so that resynchronisation finds it.
        if find_content_length(line).is_some() {
            return Err(FrameError::Garbled { line: quoted() });
        }
        return Ok(Header::Other);
    }
    let value = line[colon + 1..].trim_ascii();
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(FrameError::BadLength {
            value: shown(value),
        });
    }
    match std::str::from_utf8(value)
        .ok()
        .and_then(|digits| digits.parse::<usize>().ok())
    {
        Some(length) if length <= max => Ok(Header::Length(length)),
        _ => Err(FrameError::TooLarge {
            value: shown(value),
            max,
        }),
    }
}

/// The characters of an HTTP header name (RFC 9110 `tchar`).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Where `content-length` starts in `bytes`, in any case.
fn find_content_length(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(CONTENT_LENGTH.len())
        .position(|window| window.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// A header line as an error message shows it: text, at most 80 characters.
fn shown(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
