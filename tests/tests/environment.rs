//! Configuration from the environment. One test in its own binary: the
//! environment is global to the process, so nothing else may run beside it.

use linq_api_v3::{API_KEY_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL, Error};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary has a single test, and it starts no thread that
    // reads the environment while it is changed.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn environment_is_read_and_the_builder_wins() {
    assert_eq!(API_KEY_ENV, "LINQ_API_V3_API_KEY");
    assert_eq!(BASE_URL_ENV, "LINQ_API_V3_BASE_URL");
    set(API_KEY_ENV, None);
    set(BASE_URL_ENV, None);

    // No key anywhere: a configuration error that names the variable.
    for result in [Client::from_env(), Client::builder().build()] {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("LINQ_API_V3_API_KEY"), "{err}");
    }
    set(API_KEY_ENV, Some("   "));
    assert!(Client::from_env().is_err(), "a blank key counts as none");

    // Key from the environment, default base URL from the spec.
    set(API_KEY_ENV, Some("env-key"));
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://api.linqapp.com/api/partner");

    // Base URL and key from the environment reach the server.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer env-key"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    set(BASE_URL_ENV, Some(&format!("{}/", server.uri())));
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.uri());
    client
        .chats()
        .typing()
        .start(linq_api_v3::Uuid::nil())
        .await
        .unwrap();

    // The builder beats the environment.
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer builder-key"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&other)
        .await;
    let client = Client::builder()
        .api_key("builder-key")
        .base_url(other.uri())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), other.uri());
    client
        .chats()
        .typing()
        .start(linq_api_v3::Uuid::nil())
        .await
        .unwrap();

    set(API_KEY_ENV, None);
    set(BASE_URL_ENV, None);
}
