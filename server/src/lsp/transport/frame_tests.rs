use proptest::prelude::*;

use super::*;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Every frame in `bytes`, pushed at once.
fn frames(bytes: &[u8], max: usize) -> Vec<Frame> {
    let mut parser = FrameParser::new(max);
    parser.push(bytes);
    std::iter::from_fn(|| parser.next_frame()).collect()
}

/// The frames as short strings: `M:<body>` or `B:<error kind>`.
fn shown(frames: &[Frame]) -> Vec<String> {
    frames
        .iter()
        .map(|frame| match frame {
            Frame::Message(body) => format!("M:{}", String::from_utf8_lossy(body)),
            Frame::Bad(error) => {
                let debug = format!("{error:?}");
                let kind = debug.split([' ', '{']).next().unwrap_or_default();
                format!("B:{kind}")
            }
        })
        .collect()
}

fn parsed(bytes: &[u8]) -> Vec<String> {
    shown(&frames(bytes, MAX_MESSAGE))
}

#[test]
fn one_frame_and_another() {
    let mut bytes = frame(b"{\"a\":1}");
    bytes.extend(frame(b"[2]"));
    assert_eq!(parsed(&bytes), ["M:{\"a\":1}", "M:[2]"]);
}

#[test]
fn headers_are_case_insensitive_in_any_number_and_unknown_ones_are_ignored() {
    let bytes = b"X-One: 1\r\ncontent-type: application/vscode-jsonrpc\r\nCONTENT-LENGTH:2\r\nx-two: 2\n\r\n{}";
    assert_eq!(parsed(bytes), ["M:{}"]);
}

#[test]
fn blank_lines_between_frames_frame_nothing() {
    let mut bytes = b"\r\n\n".to_vec();
    bytes.extend(frame(b"{}"));
    assert_eq!(parsed(&bytes), ["M:{}"]);
}

#[test]
fn bad_headers_are_reported_once_and_the_next_frame_is_found() {
    for (bad, kind) in [
        (&b"Content-Length: two\r\n\r\n{}"[..], "B:BadLength"),
        (b"Content-Length: -2\r\n\r\n{}", "B:BadLength"),
        (b"Content-Length:\r\n\r\n{}", "B:BadLength"),
        (b"Content-Length: 2\r\nnonsense\r\n\r\n{}", "B:NotAHeader"),
        (b"Content-Type: x\r\n\r\n{}", "B:NoLength"),
        (b"Content-Length: 1000000000000\r\n\r\n", "B:TooLarge"),
        (
            b"Content-Length: 99999999999999999999999\r\n\r\n",
            "B:TooLarge",
        ),
        (
            b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "B:TwoLengths",
        ),
        (b"}garbage", "B:Garbled"),
        (b"\"a\": 1}", "B:Garbled"),
        (b"\"a\": 1}\r\n", "B:NotAHeader"),
        (b"X-Note: 1", "B:Garbled"),
    ] {
        let mut bytes = bad.to_vec();
        bytes.extend(frame(b"{\"next\":1}"));
        assert_eq!(
            parsed(&bytes),
            [kind, "M:{\"next\":1}"],
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn a_length_over_the_maximum_is_refused_without_waiting_for_its_body() {
    let mut parser = FrameParser::new(10);
    parser.push(b"Content-Length: 11\r\n\r\n");
    assert!(matches!(
        parser.next_frame(),
        Some(Frame::Bad(FrameError::TooLarge { .. }))
    ));
    assert_eq!(parser.next_frame(), None);
    parser.push(&frame(b"0123456789"));
    assert_eq!(
        parser.next_frame(),
        Some(Frame::Message(b"0123456789".to_vec()))
    );
}

#[test]
fn a_line_without_end_is_refused_once_it_is_too_long() {
    let mut parser = FrameParser::new(MAX_MESSAGE);
    parser.push(&vec![b'x'; MAX_HEADER_LINE + 1]);
    assert_eq!(
        parser.next_frame(),
        Some(Frame::Bad(FrameError::LongLine {
            max: MAX_HEADER_LINE
        }))
    );
    assert_eq!(parser.next_frame(), None);
    // The search for the next frame keeps no more than a header name.
    assert!(parser.buffer.len() - parser.start < CONTENT_LENGTH.len());
    parser.push(&frame(b"{}"));
    assert_eq!(parser.next_frame(), Some(Frame::Message(b"{}".to_vec())));
}

#[test]
fn resync_skips_to_the_next_content_length() {
    let mut parser = FrameParser::new(MAX_MESSAGE);
    parser.push(b"Content-Length: 3\r\n\r\n{\"a");
    assert_eq!(parser.next_frame(), Some(Frame::Message(b"{\"a".to_vec())));
    parser.resync();
    parser.push(b"\":1}");
    parser.push(&frame(b"{}"));
    assert_eq!(parser.next_frame(), Some(Frame::Message(b"{}".to_vec())));
    assert_eq!(parser.next_frame(), None);
}

#[test]
fn error_messages_name_the_header_and_say_what_to_do() {
    let errors: Vec<String> = frames(
        b"Content-Length: two\r\n\r\nContent-Length: 100\r\n\r\n",
        10,
    )
    .iter()
    .map(|frame| match frame {
        Frame::Bad(error) => error.to_string(),
        Frame::Message(_) => "a message".into(),
    })
    .collect();
    assert_eq!(
        errors,
        [
            "Content-Length \"two\" is not a number of bytes; send the body's length in bytes as decimal digits",
            "Content-Length 100 is over the limit of 10 bytes; the message is refused",
        ]
    );
}

/// Bytes that hold no `content-length`, in any case.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        proptest::collection::vec(
            prop_oneof![
                Just(b"\r\n".to_vec()),
                Just(b"\n".to_vec()),
                Just(b":".to_vec()),
                Just(b"X-Header: 1".to_vec()),
                Just(b"{\"jsonrpc\":\"2.0\"}".to_vec()),
                Just(b"content-".to_vec()),
                Just(b"length".to_vec()),
                "[a-z ]{0,5}".prop_map(String::into_bytes),
            ],
            0..8,
        )
        .prop_map(|pieces| pieces.concat()),
    ]
    .prop_filter("no Content-Length", |bytes| {
        find_content_length(bytes).is_none()
    })
}

/// A frame refused for its headers.
fn bad_header() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"Content-Length: x\r\n\r\n".to_vec()),
        Just(b"Content-Length: -1\r\n\r\n".to_vec()),
        Just(b"Content-Length: 1000000000000\r\n\r\n".to_vec()),
        Just(b"content-length: 1\r\nno colon\r\n\r\n".to_vec()),
        Just(b"Content-Type: text\r\n\r\n".to_vec()),
    ]
}

#[derive(Debug, Clone)]
enum Piece {
    Valid(Vec<u8>),
    Garbage(Vec<u8>),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..60).prop_map(Piece::Valid),
        soup().prop_map(Piece::Garbage),
        bad_header().prop_map(Piece::Garbage),
    ]
}

/// The bytes cut into pieces at the given points.
fn pushed_in_pieces(bytes: &[u8], cuts: &[usize]) -> Vec<Frame> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    let mut parser = FrameParser::new(MAX_MESSAGE);
    let mut out = Vec::new();
    let mut from = 0;
    for cut in cuts.into_iter().chain([bytes.len()]) {
        parser.push(&bytes[from..cut]);
        from = cut;
        out.extend(std::iter::from_fn(|| parser.next_frame()));
    }
    out
}

proptest! {
    #[test]
    fn byte_soup_never_panics_and_is_read_the_same_in_any_pieces(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let whole = frames(&bytes, MAX_MESSAGE);
        prop_assert_eq!(pushed_in_pieces(&bytes, &cuts), whole);
    }

    #[test]
    fn valid_frames_among_garbage_all_come_out_in_order(
        pieces in proptest::collection::vec(piece(), 0..12),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for piece in &pieces {
            match piece {
                Piece::Valid(body) => {
                    bytes.extend(frame(body));
                    expected.push(body.clone());
                }
                Piece::Garbage(garbage) => bytes.extend_from_slice(garbage),
            }
        }
        let messages: Vec<Vec<u8>> = pushed_in_pieces(&bytes, &cuts)
            .into_iter()
            .filter_map(|frame| match frame {
                Frame::Message(body) => Some(body),
                Frame::Bad(_) => None,
            })
            .collect();
        prop_assert_eq!(messages, expected);
    }
}
