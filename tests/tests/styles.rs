//! Parameters on the wire, row by row of OpenAPI 3.0.3's style table
//! (section 4.7.12.4.3, "Style Examples"), sent by the client of
//! `tests/fixtures/styles` to a real HTTP server on 127.0.0.1.
//!
//! Every expected string is the table's, for the table's values: the string
//! `blue`, the array `[blue, black, brown]` and the object
//! `{R: 100, G: 200, B: 150}`, with the fixture's parameter names (`p`, `a`,
//! `o`) in place of the table's `color`. Where the table says nothing
//! (reserved characters, headers, cookies) the rules it points to decide:
//! RFC 6570's expansions and RFC 3986's percent-encoding (only the
//! unreserved characters `A-Z a-z 0-9 - . _ ~` go out as they are).

use fixture_styles::{Client, OptionalParams, Rgb};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn colors() -> Vec<String> {
    vec!["blue".into(), "black".into(), "brown".into()]
}

fn rgb() -> Rgb {
    Rgb {
        r: 100,
        g: 200,
        b: 150,
    }
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

/// The path and query as they went out, percent-encoding and all.
fn target(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{}", request.url.path(), query),
        None => request.url.path().to_owned(),
    }
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    let value = values.next().map(|v| v.to_str().unwrap());
    assert!(values.next().is_none(), "one `{name}` header");
    value
}

#[tokio::test]
async fn path_simple() {
    let server = server().await;
    client(&server)
        .path()
        .simple("blue", colors(), rgb())
        .await
        .unwrap();
    // simple, explode false: `blue`, `blue,black,brown`, `R,100,G,200,B,150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/simple/blue/blue,black,brown/R,100,G,200,B,150"
    );
}

#[tokio::test]
async fn path_simple_exploded() {
    let server = server().await;
    let client = client(&server);
    let path = client.path();
    path.simple_explode("blue", colors(), rgb()).await.unwrap();
    // simple, explode true: `blue`, `blue,black,brown`, `R=100,G=200,B=150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/simple-explode/blue/blue,black,brown/R=100,G=200,B=150"
    );
}

#[tokio::test]
async fn path_label() {
    let server = server().await;
    client(&server)
        .path()
        .label("blue", colors(), rgb())
        .await
        .unwrap();
    // label, explode false: `.blue`, `.blue,black,brown`, `.R,100,G,200,B,150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/label/.blue/.blue,black,brown/.R,100,G,200,B,150"
    );
}

#[tokio::test]
async fn path_label_exploded() {
    let server = server().await;
    let client = client(&server);
    let path = client.path();
    path.label_explode("blue", colors(), rgb()).await.unwrap();
    // label, explode true: `.blue`, `.blue.black.brown`, `.R=100.G=200.B=150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/label-explode/.blue/.blue.black.brown/.R=100.G=200.B=150"
    );
}

#[tokio::test]
async fn path_matrix() {
    let server = server().await;
    client(&server)
        .path()
        .matrix("blue", colors(), rgb())
        .await
        .unwrap();
    // matrix, explode false: `;color=blue`, `;color=blue,black,brown`,
    // `;color=R,100,G,200,B,150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/matrix/;p=blue/;a=blue,black,brown/;o=R,100,G,200,B,150"
    );
}

#[tokio::test]
async fn path_matrix_exploded() {
    let server = server().await;
    let client = client(&server);
    let path = client.path();
    path.matrix_explode("blue", colors(), rgb()).await.unwrap();
    // matrix, explode true: `;color=blue`,
    // `;color=blue;color=black;color=brown`, `;R=100;G=200;B=150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/matrix-explode/;p=blue/;a=blue;a=black;a=brown/;R=100;G=200;B=150"
    );
}

#[tokio::test]
async fn query_form() {
    let server = server().await;
    client(&server)
        .query()
        .form("blue", colors(), rgb())
        .await
        .unwrap();
    // form, explode false: `color=blue`, `color=blue,black,brown`,
    // `color=R,100,G,200,B,150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/form?p=blue&a=blue,black,brown&o=R,100,G,200,B,150"
    );
}

#[tokio::test]
async fn query_form_exploded_by_default() {
    let server = server().await;
    let client = client(&server);
    let query = client.query();
    query.form_explode("blue", colors(), rgb()).await.unwrap();
    // form, explode true (the defaults): `color=blue`,
    // `color=blue&color=black&color=brown`, `R=100&G=200&B=150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/form-explode?p=blue&a=blue&a=black&a=brown&R=100&G=200&B=150"
    );
}

#[tokio::test]
async fn query_space_delimited() {
    let server = server().await;
    let client = client(&server);
    let query = client.query();
    query.space_delimited(colors(), rgb()).await.unwrap();
    // spaceDelimited, explode false: `blue%20black%20brown`, `R%20100%20G%20200%20B%20150`.
    assert_eq!(
        target(&only_request(&server).await),
        "/space-delimited?a=blue%20black%20brown&o=R%20100%20G%20200%20B%20150"
    );
}

#[tokio::test]
async fn query_pipe_delimited() {
    let server = server().await;
    let client = client(&server);
    let query = client.query();
    query.pipe_delimited(colors(), rgb()).await.unwrap();
    // pipeDelimited, explode false: the table's `blue|black|brown` with `|`
    // percent-encoded, since RFC 3986 does not allow it in a query.
    assert_eq!(
        target(&only_request(&server).await),
        "/pipe-delimited?a=blue%7Cblack%7Cbrown&o=R%7C100%7CG%7C200%7CB%7C150"
    );
}

#[tokio::test]
async fn query_deep_object() {
    let server = server().await;
    let client = client(&server);
    let query = client.query();
    let created =
        fixture_styles::DeepObjectCreated::Variant1(fixture_styles::DeepObjectCreatedVariant1 {
            gt: None,
            gte: Some(5),
            lt: None,
            lte: Some(9),
        });
    query
        .deep_object(rgb())
        .created(created)
        .expand(vec!["customer".into(), "invoice.lines".into()])
        .await
        .unwrap();
    // deepObject, as OpenAPI 3.0.4's style table writes it (brackets
    // percent-encoded): `color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150`;
    // Stripe's `created: {gte: 5}` keeps its name; an array takes indices.
    assert_eq!(
        target(&only_request(&server).await),
        "/deep-object?o%5BR%5D=100&o%5BG%5D=200&o%5BB%5D=150&created%5Bgte%5D=5&created%5Blte%5D=9\
         &expand%5B0%5D=customer&expand%5B1%5D=invoice.lines"
    );
}

#[tokio::test]
async fn query_deep_object_of_a_number_is_the_plain_pair() {
    let server = server().await;
    client(&server)
        .query()
        .deep_object(rgb())
        .created(fixture_styles::DeepObjectCreated::Integer(1700000000))
        .await
        .unwrap();
    assert_eq!(
        target(&only_request(&server).await),
        "/deep-object?o%5BR%5D=100&o%5BG%5D=200&o%5BB%5D=150&created=1700000000"
    );
}

#[tokio::test]
async fn header_simple() {
    let server = server().await;
    let client = client(&server);
    let headers = client.header();
    headers.list("blue", colors(), rgb()).await.unwrap();
    let request = only_request(&server).await;
    // simple, explode false, as in paths but not percent-encoded.
    assert_eq!(header(&request, "x-p"), Some("blue"));
    assert_eq!(header(&request, "x-a"), Some("blue,black,brown"));
    assert_eq!(header(&request, "x-o"), Some("R,100,G,200,B,150"));
}

#[tokio::test]
async fn header_simple_exploded() {
    let server = server().await;
    let client = client(&server);
    let headers = client.headers_explode();
    headers.retrieve("blue", colors(), rgb()).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-p"), Some("blue"));
    assert_eq!(header(&request, "x-a"), Some("blue,black,brown"));
    assert_eq!(header(&request, "x-o"), Some("R=100,G=200,B=150"));
}

#[tokio::test]
async fn cookie_form() {
    let server = server().await;
    client(&server)
        .cookie()
        .list("blue", colors(), rgb())
        .await
        .unwrap();
    // form, explode false, one `Cookie` header (RFC 6265: pairs joined by `; `).
    assert_eq!(
        header(&only_request(&server).await, "cookie"),
        Some("p=blue; a=blue,black,brown; o=R,100,G,200,B,150")
    );
}

#[tokio::test]
async fn cookie_form_exploded_by_default() {
    let server = server().await;
    let client = client(&server);
    let cookies = client.cookies_explode();
    cookies.retrieve("blue", colors(), rgb()).await.unwrap();
    // form, explode true: RFC 6570's form expansion, pairs joined by `&`
    // (OpenAPI 3.0 and 3.1); the cookies themselves by `; ` (RFC 6265).
    assert_eq!(
        header(&only_request(&server).await, "cookie"),
        Some("p=blue; a=blue&a=black&a=brown; R=100&G=200&B=150")
    );
}

/// RFC 3986's reserved characters, a space, `%`, and a non-ASCII letter.
const AWKWARD: &str = "a b/c?d&e=f#g+h%i,j;k=l[é]";
/// `AWKWARD` with every character but the unreserved ones percent-encoded (UTF-8).
const AWKWARD_ENCODED: &str = "a%20b%2Fc%3Fd%26e%3Df%23g%2Bh%25i%2Cj%3Bk%3Dl%5B%C3%A9%5D";

#[tokio::test]
async fn reserved_characters_are_percent_encoded_in_paths_queries_and_cookies() {
    let server = server().await;
    let client = client(&server);
    let encoding = client.encoding();
    encoding
        .reserved(AWKWARD, AWKWARD, AWKWARD, AWKWARD, AWKWARD)
        .await
        .unwrap();
    let request = only_request(&server).await;
    // allowReserved keeps `:/?#[]@!$&'()*+,;=` but `#`, which would end the
    // URL; `%` starts no triplet here, so it is encoded too.
    assert_eq!(
        target(&request),
        format!(
            "/reserved/{AWKWARD_ENCODED}?q={AWKWARD_ENCODED}&r=a%20b/c?d&e=f%23g+h%25i,j;k=l[%C3%A9]"
        )
    );
    // A header is not part of a URL: it goes as it is.
    assert_eq!(
        request.headers.get("x-h").unwrap().as_bytes(),
        AWKWARD.as_bytes()
    );
    assert_eq!(
        header(&request, "cookie"),
        Some(format!("c={AWKWARD_ENCODED}").as_str())
    );
}

#[tokio::test]
async fn empty_values_take_the_forms_of_the_table() {
    let server = server().await;
    client(&server)
        .encoding()
        .empty("", "", vec![])
        .await
        .unwrap();
    // matrix of "": `;color`; form of "": `color=`; an empty array: nothing.
    assert_eq!(target(&only_request(&server).await), "/empty/;m?q=");
}

#[tokio::test]
async fn a_content_parameter_is_its_value_as_json_text() {
    let server = server().await;
    client(&server).encoding().content(rgb()).await.unwrap();
    // `{"R":100,"G":200,"B":150}`, percent-encoded as a query value.
    assert_eq!(
        target(&only_request(&server).await),
        "/content?filter=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D"
    );
}

#[tokio::test]
async fn optional_parameters_are_sent_only_when_set() {
    let server = server().await;
    let client = client(&server);
    let encoding = client.encoding();
    encoding.optional().await.unwrap();
    encoding
        .optional()
        .limit(20)
        .ids(vec!["a".into(), "b".into()])
        .x_trace("t-1")
        .session("s 1")
        .await
        .unwrap();
    // All at once: the same request; a setter after `params` changes one.
    let params = OptionalParams {
        limit: Some(1),
        ids: Some(vec!["a".into(), "b".into()]),
        x_trace: Some("t-1".into()),
        session: Some("s 1".into()),
    };
    encoding.optional().params(params).limit(20).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(target(&requests[0]), "/optional");
    assert_eq!(header(&requests[0], "x-trace"), None);
    assert_eq!(header(&requests[0], "cookie"), None);
    assert_eq!(target(&requests[1]), "/optional?limit=20&ids=a,b");
    assert_eq!(header(&requests[1], "x-trace"), Some("t-1"));
    assert_eq!(header(&requests[1], "cookie"), Some("session=s%201"));
    assert_eq!(target(&requests[2]), target(&requests[1]));
    assert_eq!(header(&requests[2], "x-trace"), Some("t-1"));
    assert_eq!(header(&requests[2], "cookie"), Some("session=s%201"));
}
