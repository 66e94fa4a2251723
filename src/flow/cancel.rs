//! Ending calls in flight from outside: a deadline (the whole of `checkSession`, fetches
//! included, within its timeout) or the session ending (`logout`, `clearSession`). The work of a
//! cancelled call is dropped at once, which removes its iframe and listener and aborts its
//! fetches.

use alloc::rc::Rc;
use alloc::{boxed::Box, vec::Vec};
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::browser::timer::Timeout;
use crate::browser::{deferred, promised, Promised};
use js_sys::Function;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::browser::fetch::Fetches;
use crate::core::error::Error;
use crate::core::text::{concat, decimal};

#[derive(Default)]
struct Inner {
    /// How many times the session ended.
    ends: Cell<u32>,
    /// The functions that end the calls under this.
    calls: RefCell<Vec<Function>>,
}

/// The ends of a session: each ends the calls made before it, which then fail with
/// `session_cleared` at their next poll. The session's end is the one reason there is, so only
/// how many came is kept: no error stored, cloned into each call or dropped; and one `Cancel`
/// serves the session for good, not a fresh one made at each end (wasm size).
#[derive(Clone, Default)]
pub(crate) struct Cancel(Rc<Inner>);

impl core::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Cancel")
            .field("ends", &self.0.ends.get())
            .finish()
    }
}

impl Cancel {
    /// Stops every call made so far; calls made later run as usual.
    pub(crate) fn cancel(&self) {
        self.0.ends.set(self.0.ends.get() + 1);
        // Ended by reference, then dropped with the list: no by-value iterator of its own. Called
        // with an unused argument, through the binding the other calls share: no `call0` import
        // for this one (wasm size).
        for end in self.0.calls.take().iter() {
            let _ = end.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
        }
    }

    /// How many times the session ended so far: work that is no call (the verification of
    /// another tab's tokens) tells by it whether the session ended meanwhile.
    pub(crate) fn ends(&self) -> u32 {
        self.0.ends.get()
    }

    /// A new call under this, ended by calling `end`.
    fn add(&self, end: &Function) {
        self.0.calls.borrow_mut().push(end.clone());
    }

    /// The call ended by `end` is over.
    fn remove(&self, end: &Function) {
        // Each call's function is its own, and their order does not matter: found (the same JS
        // object) and swapped out, without `retain`'s general machinery (wasm size). Compared
        // as JS values (`===`, as elsewhere in the package), not as objects (`Object.is`, an
        // import of its own): the two differ only for numbers (wasm size).
        let mut calls = self.0.calls.borrow_mut();
        let end: &JsValue = end;
        if let Some(i) = calls.iter().position(|f| JsValue::eq(f, end)) {
            calls.swap_remove(i);
        }
    }
}

/// One call of the session: ended by the session's [`Cancel`] or by its own deadline, and its
/// fetches aborted when it ends. Either settles the call's one Promise, which its work's task
/// waits on beside the work: the browser wakes the task, with no waker to register in each poll
/// and no callback of Rust's own (wasm size).
#[derive(Debug)]
pub(crate) struct Call {
    session: Cancel,
    /// The session's ends when the call was made: one more, and the call is over.
    ends: u32,
    /// Ends the call: held to leave the session's list when the call is over.
    end: Function,
    timeout_ms: u32,
    /// Settles when the call ends; `None` once it has.
    ended: RefCell<Option<Promised>>,
    fetches: Fetches,
    _deadline: Timeout,
}

impl Call {
    /// A call that fails with `timeout` when not done within `timeout_ms`. Making one cannot
    /// fail ([`Fetches::new`]): no caller has a failure to handle (wasm size).
    pub(crate) fn within(session: &Cancel, timeout_ms: u32) -> Call {
        Call::since(session, session.ends(), timeout_ms)
    }

    /// [`Call::within`] for a call asked for when the session had ended `ends` times, made only
    /// later (as its work first runs): an end in between ends it too.
    pub(crate) fn since(session: &Cancel, ends: u32, timeout_ms: u32) -> Call {
        let (ended, end, _) = deferred();
        let deadline = Timeout::calling(timeout_ms, &end);
        session.add(&end);
        Call {
            session: session.clone(),
            ends,
            end,
            timeout_ms,
            ended: RefCell::new(Some(promised(&ended))),
            fetches: Fetches::new(),
            _deadline: deadline,
        }
    }

    /// The signal for this call's fetches.
    pub(crate) fn signal(&self) -> AbortSignal {
        self.fetches.signal()
    }

    /// Why the call ended, if it did: the session's end first, else the deadline passed.
    fn reason(&self) -> Option<Error> {
        if self.session.0.ends.get() != self.ends {
            return Some(Error::SessionCleared);
        }
        if self.ended.borrow().is_some() {
            return None;
        }
        let waited = decimal(self.timeout_ms.into());
        Some(Error::Timeout(concat(&[
            "the provider did not answer within ",
            &waited,
            " ms",
        ])))
    }

    /// The reason the call ended, if it did, before a poll of its work; else the task that
    /// polls is woken when it ends. One function, not one copy in each [`Running`] type (wasm
    /// size).
    fn before_poll(&self, cx: &mut Context<'_>) -> Option<Error> {
        {
            let mut ended = self.ended.borrow_mut();
            if let Some(ending) = ended.as_mut() {
                if Pin::new(ending).poll(cx).is_ready() {
                    *ended = None;
                }
            }
        }
        self.reason()
    }

    /// `work`'s outcome, or the reason once the call is ended, even when the work would have
    /// finished at the same poll: nothing an ended call produced is used. The work is boxed
    /// before any waiting, so that the waiting is compiled once per output type, not once per
    /// kind of work; and the waiting is a plain [`Running`], without an async state machine
    /// (wasm size). A call runs one piece of work at a time (each awaited before the next): its
    /// Promise wakes the task that polled it last.
    pub(crate) fn run<'a, T: 'a>(
        &'a self,
        work: impl Future<Output = Result<T, Error>> + 'a,
    ) -> Running<'a, T> {
        Running {
            call: self,
            work: Box::pin(work),
        }
    }
}

impl Drop for Call {
    /// Leaves the session's list and settles the call's Promise, if its deadline has not: a
    /// Promise that never settles keeps its two callbacks, and what they hold, alive for good
    /// ([`promised`]), so a call done before its deadline would leak them. Settling a settled
    /// Promise does nothing.
    fn drop(&mut self) {
        self.session.remove(&self.end);
        let _ = self.end.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
    }
}

/// A run of work under a [`Call`].
pub(crate) struct Running<'a, T> {
    call: &'a Call,
    work: Pin<Box<dyn Future<Output = Result<T, Error>> + 'a>>,
}

impl<T> Future for Running<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, Error>> {
        let call = self.call;
        if let Some(reason) = call.before_poll(cx) {
            return Poll::Ready(Err(reason));
        }
        let polled = self.work.as_mut().poll(cx);
        // Nothing an ended call produced is used, even when the work finished at this poll.
        match call.reason() {
            Some(reason) => Poll::Ready(Err(reason)),
            None => polled,
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::future::pending;
    use std::task::Waker;

    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    async fn a_deadline_ends_work_that_never_finishes_and_aborts_its_fetches() {
        let call = Call::within(&Cancel::default(), 20);
        let signal = call.signal();
        let outcome: Result<(), Error> = call.run(pending()).await;
        assert_eq!(outcome.unwrap_err().code(), "timeout");
        drop(call);
        assert!(signal.aborted());
    }

    #[wasm_bindgen_test]
    async fn the_session_ending_ends_its_calls_and_wins_over_a_finished_result() {
        let session = Cancel::default();
        let call = Call::within(&session, 60_000);
        let ended = session.clone();
        let work = async move {
            ended.cancel();
            Ok(1)
        };
        assert_eq!(call.run(work).await, Err(Error::SessionCleared));
        // A call made after the end runs as usual.
        let later = Call::within(&session, 60_000);
        assert_eq!(later.run(async { Ok(2) }).await, Ok(2));
    }

    #[wasm_bindgen_test]
    async fn a_call_done_before_its_deadline_settles_its_promise_so_nothing_is_kept() {
        let call = Call::within(&Cancel::default(), 60_000);
        assert_eq!(call.run(async { Ok(1) }).await, Ok(1));
        let mut ended = call.ended.borrow_mut().take().unwrap();
        drop(call);
        crate::browser::timer::sleep(0).await.unwrap();
        let polled = Pin::new(&mut ended).poll(&mut Context::from_waker(Waker::noop()));
        assert!(polled.is_ready());
    }
}
