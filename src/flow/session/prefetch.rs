//! What a callback needs from the provider, fetched before it is needed: from the constructor
//! on, in the background, and waited for (briefly) before `authorize` leaves the page, so that
//! the callback page reads the endpoints and keys from storage instead of the network.

use alloc::boxed::Box;

use crate::browser::timer;
use crate::flow::session::Auth;
use crate::flow::spawn;

/// The longest `authorize` waits for the provider's keys before it navigates: a provider slow to
/// answer delays the login by this much at most, and the callback then fetches them itself.
pub(crate) const KEYS_WAIT_MS: u32 = 1_000;

impl Auth {
    /// Starts fetching the endpoints and keys in the background; a failure is left to the call
    /// that needs them, which tries again. It starts one timer turn later, after what the page
    /// calls right after constructing: on a callback page that is `parseHash`, whose token
    /// request should leave before the stored documents are read and the key is imported (that
    /// work then overlaps the request instead of delaying it).
    pub(super) fn prefetch(&self) {
        let auth = self.clone();
        spawn(Box::pin(async move {
            let _ = timer::sleep(0).await;
            let _ = auth.state.client.prefetch().await;
        }));
    }
}
