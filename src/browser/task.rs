//! Rust futures run as tasks on the browser's microtask queue, in place of
//! wasm-bindgen-futures' executor: that one keeps a queue of its own, reached through closures of
//! a type of their own (their shims and imports); here each task is polled by one closure of the
//! layer's [`Callback`] type, handed to `queueMicrotask` when the task is woken (wasm size).

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::browser::Callback;

#[wasm_bindgen]
extern "C" {
    /// The global `queueMicrotask` (every browser that has `AbortSignal.timeout` has it, and
    /// Node), bound by name rather than read from the global object (wasm size). It throws only
    /// for a callback that is not a function.
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &JsValue);
}

/// A spawned future, owned by its polling closure (and by its wakers) until it completes.
struct Task {
    /// Taken out while it is polled, so that a wake during the poll only queues the next one.
    future: Cell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    /// Whether a poll is already queued: waking it again before then queues nothing more.
    queued: Cell<bool>,
    /// The closure `queueMicrotask` calls to poll the task. Dropped once the future completed,
    /// which ends the cycle between it and the task (wasm-bindgen frees it once it returns).
    poll: Cell<Option<Callback>>,
}

/// Runs `future` to completion, its first poll on the next microtask (as `spawn_local` did).
pub(crate) fn spawn(future: Pin<Box<dyn Future<Output = ()>>>) {
    let task = Rc::new(Task {
        future: Cell::new(Some(future)),
        queued: Cell::new(false),
        poll: Cell::new(None),
    });
    let polled = task.clone();
    let poll: Box<dyn FnMut(JsValue) -> JsValue> = Box::new(move |_| {
        polled.run();
        JsValue::UNDEFINED
    });
    task.poll.set(Some(Closure::wrap(poll)));
    task.wake();
}

impl Task {
    /// Queues a poll, unless one is queued already.
    fn wake(&self) {
        if self.queued.replace(true) {
            return;
        }
        let poll = self.poll.take();
        if let Some(poll) = &poll {
            queue_microtask(poll.as_ref());
        }
        self.poll.set(poll);
    }

    /// Polls the future once; drops it, and the polling closure, once it completed.
    fn run(self: &Rc<Task>) {
        self.queued.set(false);
        let Some(mut future) = self.future.take() else {
            return;
        };
        // SAFETY: the waker owns one count of the task's `Rc`, which `VTABLE` keeps balanced.
        let waker = unsafe { Waker::from_raw(RawWaker::new(raw(self.clone()), &VTABLE)) };
        if future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
        {
            self.future.set(Some(future));
        } else {
            drop(self.poll.take());
        }
    }
}

/// A task's `Rc` as a waker's data pointer, owning one count.
fn raw(task: Rc<Task>) -> *const () {
    Rc::into_raw(task).cast()
}

/// A waker over an `Rc<Task>`: cloning it counts one more owner, dropping it one fewer, waking it
/// queues a poll. Each function is handed a pointer made by [`raw`] (or by `clone`) that still
/// owns its count.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, forget);

unsafe fn clone(task: *const ()) -> RawWaker {
    // SAFETY: `task` came from `raw` and its count is still owned (see `VTABLE`).
    unsafe { Rc::increment_strong_count(task.cast::<Task>()) };
    RawWaker::new(task, &VTABLE)
}

unsafe fn wake(task: *const ()) {
    // SAFETY: as in `clone`; this takes over the waker's count.
    let task = unsafe { Rc::from_raw(task.cast::<Task>()) };
    task.wake();
}

unsafe fn wake_by_ref(task: *const ()) {
    // SAFETY: as in `clone`; the waker keeps its count.
    unsafe { &*task.cast::<Task>() }.wake();
}

unsafe fn forget(task: *const ()) {
    // SAFETY: as in `clone`; this gives the waker's count back.
    unsafe { Rc::decrement_strong_count(task.cast::<Task>()) };
}
