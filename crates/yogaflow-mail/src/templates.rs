//! The wording of every email YogaFlow sends, one function per email.
//!
//! Each returns a [`Content`] (subject, text and HTML bodies, kind) to be
//! addressed with [`Content::to`]. Links arrive as full URLs, built by the caller
//! from the configured public URL; names and addresses arrive as the user typed
//! them and are escaped by the layout. Subjects all start with "YogaFlow: " so
//! the messages are easy to find and filter.

use crate::layout::{Block, Letter};
use crate::message::Content;

fn content(kind: &'static str, subject: &str, letter: &Letter<'_>) -> Content {
    let subject = format!("YogaFlow: {subject}");
    Content {
        text: letter.text(),
        html: letter.html(&subject),
        subject,
        kind,
    }
}

fn para(s: &str) -> Block<'static> {
    Block::Para(s.to_owned())
}

/// Sent after sign-up: confirms the address belongs to the new user.
pub fn verify_email(name: &str, link: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para("Welcome to YogaFlow! We're happy to have you on the mat with us."),
            para(
                "Please confirm that this is your email address. It keeps your account safe \
                 and lets you get back in if you ever forget your password.",
            ),
            Block::Button {
                label: "Confirm my email",
                url: link,
            },
            para("If you didn't sign up for YogaFlow, you can simply ignore this email."),
        ],
    };
    content("verify_email", "Please confirm your email address", &letter)
}

/// Sent on a password reset request; the link is good for 30 minutes.
pub fn reset_password(name: &str, link: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para("We received a request to reset the password for your YogaFlow account."),
            Block::Button {
                label: "Choose a new password",
                url: link,
            },
            para("This link works once and expires in 30 minutes."),
            para(
                "If you didn't ask for a new password, you can ignore this email. Your \
                 current password stays as it is.",
            ),
        ],
    };
    content("reset_password", "Reset your password", &letter)
}

/// Sent when someone tries to register with an address that already has an
/// account, in place of an error that would reveal the account to anyone.
pub fn already_registered(name: &str, sign_in_link: &str, reset_link: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para(
                "Someone, hopefully you, just tried to create a YogaFlow account with this \
                 email address. You already have an account with us, so we didn't make a new one.",
            ),
            Block::Button {
                label: "Sign in to YogaFlow",
                url: sign_in_link,
            },
            Block::Link {
                intro: "Forgot your password? You can choose a new one here:",
                url: reset_link,
            },
            para("If this wasn't you, there's nothing to do. Your account hasn't changed."),
        ],
    };
    content("already_registered", "You already have an account", &letter)
}

/// Sent after the password changed, so an unexpected change gets noticed.
pub fn password_changed(name: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para(
                "The password for your YogaFlow account was just changed, and your other \
                 signed-in devices have been signed out.",
            ),
            para("If you made this change, you're all set."),
            para(
                "If you didn't, someone else may know your password. Use \"Forgot password\" \
                 on the YogaFlow sign-in page to choose a new one right away.",
            ),
        ],
    };
    content("password_changed", "Your password was changed", &letter)
}

/// Sent to the new address on an email change: the change happens only once
/// this link is followed.
pub fn confirm_new_email(name: &str, link: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para("You asked to use this email address for your YogaFlow account."),
            Block::Button {
                label: "Confirm this address",
                url: link,
            },
            para("Until you confirm, your account keeps using your current address."),
            para("If you didn't ask for this, ignore this email and nothing will change."),
        ],
    };
    content(
        "confirm_new_email",
        "Confirm your new email address",
        &letter,
    )
}

/// Sent to the old address once an email change is done. The new address is
/// shown masked, since the old mailbox may no longer be the user's.
pub fn email_changed_notice(name: &str, new_address_masked: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            Block::Para(format!(
                "The email address on your YogaFlow account was changed to {new_address_masked}. \
                 We'll send account emails there from now on."
            )),
            para("If you made this change, you're all set."),
            para(
                "If you didn't, someone may have access to your account. Please contact \
                 YogaFlow support as soon as you can so we can help you get it back.",
            ),
        ],
    };
    content(
        "email_changed_notice",
        "Your email address was changed",
        &letter,
    )
}

/// Sent after an account is deleted, as the last message to that address.
pub fn account_deleted(name: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para(
                "Your YogaFlow account has been deleted and you've been signed out everywhere. \
                 This is the last account email we'll send to this address.",
            ),
            para(
                "Thank you for practicing with us. If you'd like to come back someday, you're \
                 always welcome to create a new account.",
            ),
            para("If you didn't ask to delete your account, please contact YogaFlow support."),
        ],
    };
    content("account_deleted", "Your account has been deleted", &letter)
}

/// Sent when repeated failed sign-ins pause the account for a while.
pub fn lockout_notice(name: &str, reset_link: &str) -> Content {
    let letter = Letter {
        name,
        blocks: vec![
            para(
                "We noticed several unsuccessful attempts to sign in to your YogaFlow account, \
                 so we've paused sign-ins for a short while to keep it safe.",
            ),
            para(
                "If that was you, wait a few minutes and try again, or set a new password \
                 if you can't remember it:",
            ),
            Block::Button {
                label: "Reset my password",
                url: reset_link,
            },
            para(
                "If it wasn't you, your account is still protected: none of those attempts \
                 got in. Choosing a new password that you don't use anywhere else adds \
                 extra peace of mind.",
            ),
        ],
    };
    content(
        "lockout_notice",
        "Sign-in paused after failed attempts",
        &letter,
    )
}
