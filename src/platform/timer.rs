//! Waiting without blocking: a future that resolves after a delay (the browser's `setTimeout`,
//! through Leptos's `set_timeout`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Default)]
struct Shared {
    done: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// Resolves once `delay` has passed.
pub struct Sleep {
    shared: Rc<Shared>,
}

/// Waits `delay`.
pub fn sleep(delay: Duration) -> Sleep {
    let shared = Rc::new(Shared::default());
    let fired = shared.clone();
    leptos::prelude::set_timeout(
        move || {
            fired.done.set(true);
            if let Some(waker) = fired.waker.borrow_mut().take() {
                waker.wake();
            }
        },
        delay,
    );
    Sleep { shared }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shared.done.get() {
            Poll::Ready(())
        } else {
            *self.shared.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
