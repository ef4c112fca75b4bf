//! What each shape of union in tests/fixtures/discriminator becomes, seen
//! through real JSON: decoded into the generated types and encoded back.

use fixture_discriminator::{
    BankTransfer, BankTransferType, Card, CardType, Id, PaymentMethod, PaymentMethodWallet,
    PaymentMethodWalletType, Payout, Pet, Size,
};
use serde_json::json;

/// Decodes `value` as a `T`, which must succeed.
macro_rules! decode {
    ($ty:ty, $value:expr) => {
        serde_json::from_value::<$ty>($value).expect("decodes")
    };
}

#[test]
fn a_discriminator_picks_the_variant_by_its_mapping() {
    let pet = decode!(
        Pet,
        json!({"petType": "doggo", "name": "Rex", "goodBoy": true})
    );
    let Pet::Dog(dog) = &pet else {
        panic!("a dog was decoded as {pet:?}")
    };
    assert_eq!(dog.name, "Rex");
    assert_eq!(dog.good_boy, Some(true));
}

#[test]
fn a_property_every_variant_pins_to_its_own_value_tags_the_union() {
    // Card's other fields are all optional: tried in turn (untagged), a bank
    // transfer would decode as a card whose `type` is unknown.
    let method = decode!(
        PaymentMethod,
        json!({"type": "bank_transfer", "iban": "DE89"})
    );
    assert_eq!(
        method,
        PaymentMethod::BankTransfer(BankTransfer {
            r#type: BankTransferType::BankTransfer,
            iban: Some("DE89".to_owned()),
        })
    );
    let method = decode!(PaymentMethod, json!({"type": "card", "last4": "4242"}));
    assert!(matches!(&method, PaymentMethod::Card(card) if card.last4.as_deref() == Some("4242")));
    // An inline variant is tagged like the referenced ones.
    let method = decode!(PaymentMethod, json!({"type": "wallet", "provider": "pay"}));
    assert!(
        matches!(&method, PaymentMethod::Wallet(wallet) if wallet.provider.as_deref() == Some("pay"))
    );
}

#[test]
fn an_implied_tag_this_client_does_not_know_is_kept_as_it_came() {
    let unknown = json!({"type": "voucher", "code": "X1"});
    let method = decode!(PaymentMethod, unknown.clone());
    assert_eq!(method, PaymentMethod::Unknown(unknown.clone()));
    assert_eq!(serde_json::to_value(&method).unwrap(), unknown);
}

#[test]
fn a_known_implied_tag_with_a_bad_body_is_an_error() {
    let error = serde_json::from_value::<PaymentMethod>(json!({"type": "card", "last4": 4242}))
        .expect_err("a number is not a string");
    assert!(error.to_string().contains("invalid type"), "{error}");
}

#[test]
fn an_implied_tagged_union_encodes_as_its_variant_with_the_tag() {
    let card = PaymentMethod::Card(Card {
        r#type: CardType::Card,
        last4: None,
    });
    assert_eq!(
        serde_json::to_value(&card).unwrap(),
        json!({"type": "card"})
    );
    let wallet = PaymentMethod::Wallet(PaymentMethodWallet {
        r#type: PaymentMethodWalletType::Wallet,
        provider: Some("pay".to_owned()),
    });
    let text = serde_json::to_string(&wallet).unwrap();
    assert_eq!(
        serde_json::from_str::<PaymentMethod>(&text).unwrap(),
        wallet
    );
}

#[test]
fn branches_of_one_string_each_are_one_enum() {
    assert_eq!(decode!(Size, json!("small")), Size::Small);
    // Through a `$ref`, the branch is the same.
    assert_eq!(decode!(Size, json!("medium")), Size::Medium);
    // Not the first branch's `Unknown`: every value has its own variant.
    assert_eq!(decode!(Size, json!("large")), Size::Large);
    assert_eq!(
        decode!(Size, json!("huge")),
        Size::Unknown("huge".to_owned())
    );
    assert_eq!(serde_json::to_value(Size::Large).unwrap(), json!("large"));
    assert_eq!(Size::Medium.to_string(), "medium");
}

#[test]
fn an_untagged_union_takes_the_first_variant_that_decodes() {
    assert_eq!(decode!(Id, json!(7)), Id::Integer(7));
    assert_eq!(decode!(Id, json!("seven")), Id::String("seven".to_owned()));
    assert_eq!(serde_json::to_value(Id::Integer(7)).unwrap(), json!(7));
}

#[test]
fn a_discriminator_over_inline_variants_tags_by_its_property() {
    // Tried in turn, a standard payout would decode as an instant one: both
    // have only optional fields besides `method`.
    let payout = decode!(Payout, json!({"method": "standard", "days": 3}));
    assert!(
        matches!(&payout, Payout::Standard(standard) if standard.days == Some(3)),
        "{payout:?}"
    );
    let payout = decode!(Payout, json!({"method": "instant", "fee": 1}));
    assert!(matches!(&payout, Payout::Instant(instant) if instant.fee == Some(1)));
    let unknown = json!({"method": "crypto"});
    assert_eq!(decode!(Payout, unknown.clone()), Payout::Unknown(unknown));
}
