//! What the page says before any file is loaded.

use yew::prelude::*;

/// The explanation of what to drop, shown until the first file is read.
#[function_component(EmptyState)]
pub fn empty_state() -> Html {
    html! {
        <div class="empty-state">
            <p class="empty-lead">
                { "Drop exports of the Identity Manager Request Log here, or choose them below." }
            </p>
            <p>
                { "Event Viewer XML, CSV or EVTX, wevtutil XML, PowerShell JSON \
                   (Get-WinEvent, Get-EventLog), Winlogbeat, NXLog and Microsoft \
                   Sentinel exports are read. Several files, even overlapping ones, \
                   make one load." }
            </p>
            <p>
                { "Entra ID audit logs (the admin center's CSV or JSON download, or \
                   Microsoft Graph directoryAudits JSON) add the cloud activity to the \
                   same reports, marked by source." }
            </p>
            <p class="privacy">
                { "Everything is read inside this page: nothing leaves this computer." }
            </p>
        </div>
    }
}
