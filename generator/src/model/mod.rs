//! The model: a plain-data description of the API, free of OpenAPI's
//! indirections (`$ref`s are resolved, names are final Rust names). Emitters
//! read only this.

mod build;
pub(crate) mod names;

pub use build::{build, build_with, repeats_resource};
pub use names::{is_raw_keyword, to_type_name};

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    /// `info.version`: the version of the API the spec describes.
    pub api_version: String,
    /// The generated package's name (`linq-api-v3`).
    pub crate_name: String,
    /// The generated package's version (semver).
    pub crate_version: String,
    /// Prefix of the environment variables the client reads (`LINQ_API_V3`).
    pub env_prefix: String,
    /// The TLS feature the crate has on by default (`rustls-ring`), if any.
    pub default_tls: Option<String>,
    /// The first server of the spec, the client's default base URL.
    pub base_url: Option<String>,
    /// Every credential a security requirement names: the document's
    /// requirement's first, then the operations', in spec order.
    pub credentials: Vec<Credential>,
    /// The document's `security`: what operations that declare none need.
    pub security: Security,
    /// Top-level resources; each may hold nested ones.
    pub resources: Vec<Resource>,
    /// Named types, in spec order (inline types follow the type they sit in).
    pub types: Vec<TypeDef>,
    /// Each component schema's name in the spec and its type's name in
    /// `types`, in spec order: how tools find the type of `#/components/schemas/X`.
    pub schemas: Vec<(String, String)>,
    /// The body every error response shares, when the spec names it.
    pub error_envelope: Option<ErrorEnvelope>,
    /// The types of the API's error bodies, a variant each of one enum in
    /// `types`: what an error status's body decodes into.
    pub error_bodies: Vec<ErrorBodyVariant>,
    /// That enum's name: `ErrorBody`.
    pub error_body_type: String,
    /// The requests the API sends (3.1 `webhooks`, 3.0 `x-webhooks`), in spec order.
    pub webhooks: Vec<Webhook>,
    /// The name of their enum in `types`: `WebhookEvent`.
    pub webhook_event_type: String,
    /// How they are signed, as `x-rust-webhooks` declares it.
    pub webhook_signature: Option<WebhookSignature>,
    /// The header a retried POST or PATCH carries its idempotency key in.
    pub idempotency_header: String,
}

/// One event the API sends: a webhook with a JSON payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Its key in `webhooks`: `message.sent.v2026`.
    pub name: String,
    /// Its variant in the event enum: `MessageSentV2026`.
    pub rust_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub payload: TypeRef,
    /// The payload's fields and the values that say it is this event
    /// (`event_type: message.sent`); empty where the spec does not say.
    pub matches: Vec<(String, String)>,
}

/// How webhook payloads are signed: an HMAC-SHA256 over a text made of the
/// body and headers, sent in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSignature {
    /// The signed text: `{timestamp}.{body}`; `{id}` is the id header's value.
    pub signed: String,
    pub signature_header: String,
    pub timestamp_header: Option<String>,
    pub id_header: Option<String>,
    pub encoding: SignatureEncoding,
    /// Text before the signature in its header: `sha256=`, `v1,`.
    pub prefix: String,
    /// Several signatures in the header, separated by spaces (Standard Webhooks).
    pub several: bool,
    /// The secret is base64 after this prefix (`whsec_`), else its UTF-8 bytes.
    pub base64_secret_prefix: Option<String>,
    /// The oldest timestamp accepted, in seconds from now (and as far ahead).
    pub tolerance_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    Hex,
    Base64,
}

/// A security requirement: alternatives, any one of which suffices, each a
/// set of credentials sent together (indices into [`Api::credentials`]). An
/// empty alternative, or no alternative at all, lets a request go without one.
pub type Security = Vec<Vec<usize>>;

/// One credential the client can send: a security scheme it supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's key in `components/securitySchemes`.
    pub scheme_name: String,
    pub scheme: AuthScheme,
    pub description: Option<String>,
    /// The builder's setter: `api_key` for the first credential (every API
    /// with one credential reads the same), else the scheme's name.
    pub setter: String,
    /// The setter in upper snake case: the environment variable's name after
    /// the prefix (`API_KEY`) and the runtime's constant for the credential.
    pub constant: String,
    /// Every operation needs it: building a client without it fails.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>` (HTTP bearer, OAuth 2 and OpenID Connect tokens).
    Bearer,
    /// `Authorization: Basic base64(<user>:<password>)`, the key being `user:password`.
    Basic,
    /// The key as is, in a header, query parameter or cookie.
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// A group of operations: `client.chats().typing()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The accessor names from the client down to this resource: `["chats", "typing"]`.
    pub path: Vec<String>,
    /// The Rust type of this resource's handle: `ChatsTyping`.
    pub type_name: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
    pub children: Vec<Resource>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: Option<String>,
    /// The method's Rust name on its resource: `start`.
    pub method_name: String,
    /// Upper-case HTTP method: `POST`.
    pub http_method: String,
    /// The path template as the spec writes it: `/v3/chats/{chatId}/typing`.
    pub path: String,
    /// The path template cut at its parameters.
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Required parameters, each a positional argument: the path's in the
    /// order of the path template, then the others in spec order.
    pub params: Vec<Param>,
    /// Optional parameters: fields of a `{Operation}Params` struct (in `types`),
    /// passed as the last argument.
    pub options: Option<Options>,
    pub body: Option<RequestBody>,
    pub success: Success,
    /// The media types the responses declare that the client can decode, for
    /// the `Accept` header; empty when they declare none.
    pub accept: Vec<String>,
    /// Error responses, for the docs: status (`404`, `4XX`, `default`) and description.
    pub errors: Vec<(String, String)>,
    /// The operation's own `security`, where it differs from [`Api::security`].
    pub security: Option<Security>,
    /// How its pages follow one another, for a list operation.
    pub pagination: Option<Pagination>,
    /// Its success as a stream of server-sent events, where it can be one.
    pub events: Option<Events>,
    /// Which variant of [`Api::error_bodies`] each documented error status's
    /// body decodes into, in spec order (`default` last); `None` for a status
    /// documented without a type, which no range or `default` may claim.
    pub error_bodies: Vec<(StatusMatch, Option<String>)>,
}

/// A type that error responses carry, a variant of the crate's error-body enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBodyVariant {
    /// The variant's name: the type's.
    pub rust_name: String,
    pub ty: TypeRef,
    /// Its code and message, found by their usual names, where its type is
    /// not the envelope's (whose own are read already) and the code is of
    /// the kind the envelope's is (text or a number).
    pub code: Option<FieldPath>,
    pub message: Option<FieldPath>,
}

/// An operation that can answer with `text/event-stream`: it gets a method
/// that streams the events.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The streaming method's name: `create_stream` beside the plain
    /// `create`, or the operation's own where the stream is its only answer.
    pub method_name: String,
    /// What each event's `data` is decoded into; `None`: the event as it
    /// came (`crate::Event`).
    pub item: Option<TypeRef>,
    /// The boolean property of the JSON body that asks for the stream
    /// (OpenAI's `stream`): the streaming method sends it `true`.
    pub flag: Option<String>,
    /// No other success body: the operation has no plain method.
    pub only: bool,
}

/// How a list operation's pages follow one another: the request for the next
/// page is this one with one optional parameter changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where a page's items are: the whole body (`None`), or this field of it.
    pub items: Option<FieldStep>,
    pub item: TypeRef,
    /// The optional parameter the next page changes (its field in the
    /// operation's `Options`).
    pub param: String,
    pub next: NextPage,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// The page's field holds the parameter's value for the next page (Linq's
    /// `next_cursor`, dropshot's `next_page`, OpenAI's `last_id`); none, or
    /// empty, is the end, and so is `has_more: false` where the page has one.
    Cursor {
        next: FieldStep,
        has_more: Option<FieldStep>,
    },
    /// While the page's `has_more` field is true, the last item's `id` is the
    /// next value (Stripe's `starting_after`).
    AfterLastItem { has_more: FieldStep, id: FieldStep },
    /// The `Link` header's `rel="next"` URL carries the next page number
    /// (GitHub's `page`); no such link is the end.
    Link,
    /// The page number counts up from 1 until a page has no items.
    PageNumber,
}

/// The optional parameters of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The struct's name in `types`: `ListPetsParams`.
    pub type_name: String,
    /// Each parameter's `rust_name` is its field name.
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// The index of a path parameter in `Operation::params`.
    Param(usize),
    /// A query the spec writes into the path template (`/responses?beta=true`),
    /// sent as the start of the URL's query. Always the last part.
    Query(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire: `chatId`.
    pub name: String,
    /// The argument's Rust name: `chat_id`.
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// The spec's example value, as text, for the docs.
    pub example: Option<String>,
    /// How the value is written on the wire.
    pub encoding: Encoding,
}

/// How a parameter, or a field of a form body, is written: by a style of
/// OpenAPI's style table, or as a media type (`content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Style {
        style: Style,
        explode: bool,
        /// `allowReserved`: RFC 3986's reserved characters are sent as they are.
        allow_reserved: bool,
    },
    /// Serialized as JSON text, then written as a string (a parameter given
    /// by `content`, a form field whose `contentType` is JSON).
    Json,
}

impl Encoding {
    /// The encoding a parameter has when the spec names no style: `simple` in
    /// paths and headers, `form` in queries and cookies, exploded only for `form`.
    pub fn default_for(location: ParamLocation) -> Encoding {
        let style = match location {
            ParamLocation::Path | ParamLocation::Header => Style::Simple,
            ParamLocation::Query | ParamLocation::Cookie => Style::Form,
        };
        Encoding::Style {
            style,
            explode: style == Style::Form,
            allow_reserved: false,
        }
    }
}

/// The `style` values of OpenAPI's parameter and encoding objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub kind: BodyKind,
    pub description: Option<String>,
    /// `required: true`: the body is an argument of its own, else an `Option`.
    pub required: bool,
}

/// How a request body is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// `application/json` (or `+json`), taken as `&T`.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`, taken as `&T`: a pair per
    /// property, written as its encoding says.
    Form {
        ty: TypeRef,
        /// The `encoding` map: how a property is written when not as a form
        /// field (`form`, exploded; an object as JSON).
        fields: Vec<(String, Encoding)>,
    },
    /// `multipart/form-data`, taken as `&T`: one part per field.
    Multipart {
        ty: TypeRef,
        /// The parts, when `ty` is a struct; else every property of the value
        /// is a part of its own.
        parts: Option<Vec<MultipartPart>>,
    },
    /// Any other media type (`application/octet-stream`, `text/plain`, …): bytes as they are.
    Raw { content_type: String },
}

/// A field of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    pub name: String,
    pub rust_name: String,
    /// The field is an `Option`: a part only when it is `Some`.
    pub optional: bool,
    pub shape: PartShape,
    /// The part's `Content-Type` from the `encoding` map (`image/png`), when
    /// it names one media type; for a file, what is sent when the caller sets none.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartShape {
    /// A value: a text part, or a JSON part for an object.
    Value,
    /// `format: binary`: a file part.
    File,
    /// An array of binaries: a file part each.
    Files,
    /// The flattened map of properties the schema does not name: a part each.
    Others,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body (`204`, or a 2xx without content): `()`.
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
    /// Bodies of different kinds in different media types (audio or an event
    /// stream): an enum of `types`, a variant chosen by the response's `Content-Type`.
    Media {
        type_name: String,
        variants: Vec<MediaVariant>,
    },
    /// A redirect (3xx), the operation's only documented answer (a login that
    /// sends the browser on): returned as it is, not followed: `Redirect`.
    Redirect,
    /// Different bodies for different statuses: an enum of `types`, one variant a status.
    Several {
        type_name: String,
        variants: Vec<StatusVariant>,
    },
}

/// One status of a [`Success::Several`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The variant's name: `Ok`, `Created`, `Status299`.
    pub rust_name: String,
    pub status: StatusMatch,
    /// Never `Several`.
    pub body: Success,
    pub description: Option<String>,
}

/// One media type of a [`Success::Media`].
#[derive(Debug, Clone, PartialEq)]
pub struct MediaVariant {
    /// The variant's name: `Json`, `AudioMpeg`, `EventStream`.
    pub rust_name: String,
    /// The media types it stands for, as the spec writes them (`image/*` included).
    pub media: Vec<String>,
    /// `Json`, `Text` or `Bytes`.
    pub body: Success,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX`: the hundreds digit.
    Range(u16),
    /// `default`: any other success.
    Default,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    Uuid,
    /// `format: binary`: raw bytes.
    Bytes,
    /// A file part of a multipart body: bytes with a file name and a media type.
    File,
    /// Any JSON value (a schema without a type).
    Json,
    /// A type of `Api::types`, by its Rust name.
    Named(String),
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// An array item or a map value that may be `null` (GitHub's gist
    /// `files`: a map of nullable objects): `Option<T>`.
    Nullable(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object. Properties beyond the named ones (`additionalProperties`)
    /// are kept in a last, flattened map field.
    Struct {
        fields: Vec<Field>,
    },
    Enum(EnumDef),
    /// `oneOf` / `anyOf`: one of several types.
    Union(UnionDef),
    Alias(TypeRef),
    /// An alias that refers to itself (`Tree = [Tree]`): a Rust type alias
    /// cannot, so it becomes a transparent newtype.
    Newtype(TypeRef),
    /// The optional parameters of an operation.
    Params(Vec<Param>),
    /// The successful responses of an operation, one variant a status.
    Responses(Vec<StatusVariant>),
    /// A response in several media types, one variant a kind of body.
    Media(Vec<MediaVariant>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name in JSON.
    pub json_name: String,
    /// The Rust field name (may be a raw identifier, `r#type`).
    pub rust_name: String,
    pub ty: TypeRef,
    /// The property may be left out.
    pub optional: bool,
    /// The property may be `null`.
    pub nullable: bool,
    /// Whether the property goes both ways, or only in responses or requests.
    pub access: Access,
    /// The field's type contains the struct itself: it is boxed.
    pub boxed: bool,
    /// An `allOf` part that could not be merged: its fields sit at this level.
    pub flatten: bool,
    pub description: Option<String>,
}

impl Field {
    /// How the property's presence and nullability are written in Rust.
    pub fn presence(&self) -> Presence {
        match (self.optional, self.nullable) {
            (false, false) => Presence::Required,
            (false, true) => Presence::Nullable,
            (true, false) => Presence::Optional,
            (true, true) => Presence::OptionalNullable,
        }
    }
}

/// Which messages a property is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// `readOnly`: set by the server, in responses only.
    ReadOnly,
    /// `writeOnly`: set by the client, in requests only.
    WriteOnly,
}

/// The four ways a property can be present, and their Rust types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always there, never `null`: `T`.
    Required,
    /// Always there, maybe `null`: `Option<T>`, `None` sent as `null`.
    Nullable,
    /// Maybe left out, never `null`: `Option<T>`, `None` left out.
    Optional,
    /// Three states: left out (`None`), `null` (`Some(None)`) or a value
    /// (`Some(Some(v))`).
    OptionalNullable,
}

impl Presence {
    /// The Rust type is an `Option` (of `T`, or of `Option<T>`).
    pub fn is_option(self) -> bool {
        self != Presence::Required
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    /// The property whose value names the variant (the `discriminator`, or a
    /// property every variant pins to a value of its own); without one, the
    /// first variant that decodes wins.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub variants: Vec<EnumVariant>,
    /// Values not listed are kept in an `Unknown` variant instead of failing.
    pub open: bool,
    pub repr: EnumRepr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    Integer,
    String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: EnumValue,
    /// The name the spec gives the value (`x-enum-varnames`), if any.
    pub spec_name: Option<String>,
    /// What the value means: the description of its `oneOf` branch, when the
    /// enum was written one value a branch.
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    Integer(i64),
    String(String),
}

/// The schema every error response shares, and where its code and message sit.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEnvelope {
    pub type_name: String,
    /// The body's field the envelope sits in, where every error response is
    /// an inline object around it (`{"error": {...}}`): `error`.
    pub nested_in: Option<String>,
    pub code: Option<FieldPath>,
    pub message: Option<FieldPath>,
}

/// A path of fields from the envelope down to a leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    pub steps: Vec<FieldStep>,
    pub leaf: Leaf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub rust_name: String,
    pub presence: Presence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf {
    Integer(TypeRef),
    /// An integer enum, by its Rust name (`ErrorCode`).
    IntegerEnum(String),
    /// A `type: number` code (vimeo's `error_code: 5000`), read as an integer
    /// where it is one.
    Number(TypeRef),
    String,
    /// A string enum, by its Rust name (box's `ClientErrorCode`), read as the
    /// text the API writes.
    StringEnum(String),
}

impl Api {
    /// Whether the client's `code()` gives text: by the envelope's code, else
    /// by the error bodies' (which share the envelope's kind where it has
    /// one). `None` where nothing has a code.
    pub fn code_is_text(&self) -> Option<bool> {
        let envelope = self.error_envelope.as_ref().and_then(|e| e.code.as_ref());
        envelope
            .or_else(|| self.error_bodies.iter().find_map(|v| v.code.as_ref()))
            .map(|code| code.leaf.is_text())
    }
}

impl Leaf {
    /// Whether the leaf reads as text (`&str`).
    pub fn is_text(&self) -> bool {
        matches!(self, Leaf::String | Leaf::StringEnum(_))
    }
}
