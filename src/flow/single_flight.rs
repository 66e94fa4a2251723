//! One call in flight per key: a call made while an identical one runs shares its outcome instead
//! of doing the work again (auth0-spa-js's `singlePromise`, as a map, not one slot). The work runs
//! as its own task, so it finishes and its key is freed even when every caller stops waiting: a
//! flight whose outcome is here is never joined, and leaves the map at the next call.

use alloc::rc::Rc;
use alloc::{boxed::Box, string::String, vec::Vec};
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use crate::flow::spawn;

struct Flight<T> {
    outcome: RefCell<Option<T>>,
    waiting: RefCell<Vec<Waker>>,
}

/// The calls in flight, by key. The map is not shared with the flights: a landed flight is
/// removed by the next call, not by its own task (wasm size: no map handle and no search in
/// each kind of task).
pub(crate) struct SingleFlight<T> {
    flights: RefCell<Vec<(String, Rc<Flight<T>>)>>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            flights: RefCell::default(),
        }
    }
}

impl<T> core::fmt::Debug for SingleFlight<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SingleFlight")
            .field("in_flight", &self.flights.borrow().len())
            .finish()
    }
}

impl<T> SingleFlight<T> {
    /// Lets the next call under any key start afresh: the calls in flight land as they will,
    /// for their callers only.
    pub(crate) fn clear(&self) {
        self.flights.borrow_mut().clear();
    }
}

impl<T: Clone + 'static> SingleFlight<T> {
    /// The outcome of the call in flight under `key`, or of `work` started now under it. The work
    /// comes boxed, so that its steps are not copied into this task (wasm size). Joining or
    /// starting is done when this is called (callers await it at once), so that the waiting is a
    /// plain [`Landing`], without a state machine of its own (wasm size).
    pub(crate) fn run(&self, key: String, work: Pin<Box<dyn Future<Output = T>>>) -> Landing<T> {
        if let Some(landing) = self.join(&key) {
            return landing;
        }
        let flight = Rc::new(Flight {
            outcome: RefCell::new(None),
            waiting: RefCell::new(Vec::new()),
        });
        self.flights.borrow_mut().push((key, flight.clone()));
        spawn(Box::pin(Flying {
            work,
            flight: flight.clone(),
        }));
        Landing(flight)
    }
}

impl<T> SingleFlight<T> {
    /// Lets `landing`'s flight be joined under `key` too, while it is in flight.
    pub(crate) fn also(&self, key: &str, landing: &Landing<T>) {
        self.flights
            .borrow_mut()
            .push((key.into(), landing.0.clone()));
    }

    /// The call in flight under `key`, if any.
    pub(crate) fn join(&self, key: &str) -> Option<Landing<T>> {
        let mut flights = self.flights.borrow_mut();
        // Landed flights leave as they are passed (their callers hold their outcome); the
        // flights have no order.
        let mut at = 0;
        while let Some((k, flight)) = flights.get(at) {
            if flight.outcome.borrow().is_some() {
                flights.swap_remove(at);
            } else if k == key {
                return Some(Landing(flight.clone()));
            } else {
                at += 1;
            }
        }
        None
    }
}

/// A flight's work, run as its own task: once it is done, its outcome lands for the callers,
/// which frees its key. A plain future, not an async block (wasm size).
struct Flying<T> {
    work: Pin<Box<dyn Future<Output = T>>>,
    flight: Rc<Flight<T>>,
}

impl<T> Future for Flying<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Poll::Ready(outcome) = self.work.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        *self.flight.outcome.borrow_mut() = Some(outcome);
        wake_all(&self.flight.waiting);
        Poll::Ready(())
    }
}

/// Wakes the callers waiting for a flight that landed: one function for every kind of outcome,
/// not one copy in each [`Flying`] type, and for the tabs' waits too (wasm size).
pub(crate) fn wake_all(waiting: &RefCell<Vec<Waker>>) {
    for waker in waiting.take() {
        waker.wake();
    }
}

/// Adds a caller's `waker` to a flight's: like [`wake_all`], one function for every kind of
/// outcome (wasm size).
pub(crate) fn wait(waiting: &RefCell<Vec<Waker>>, waker: &Waker) {
    waiting.borrow_mut().push(waker.clone());
}

/// Waits for a flight's outcome, and answers a copy of it.
pub(crate) struct Landing<T>(Rc<Flight<T>>);

impl<T> Landing<T> {
    /// The landing of a flight that never flew: `outcome` was known at once.
    pub(crate) fn landed(outcome: T) -> Landing<T> {
        Landing(Rc::new(Flight {
            outcome: RefCell::new(Some(outcome)),
            waiting: RefCell::new(Vec::new()),
        }))
    }
}

impl<T> core::fmt::Debug for Landing<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Landing").finish_non_exhaustive()
    }
}

impl<T: Clone> Future for Landing<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if let Some(outcome) = self.0.outcome.borrow().as_ref() {
            return Poll::Ready(outcome.clone());
        }
        wait(&self.0.waiting, cx.waker());
        Poll::Pending
    }
}
