"""The site header in browser tests. On a phone the nav and the account links sit behind
"Menu"; on a desktop the account links sit behind the account menu (both are <details>). These
open what a test needs, as a person would, at whatever width the page has."""


def _open(page, details, summary):
    if page.locator(summary).is_visible() and page.locator(details).get_attribute("open") is None:
        page.locator(summary).click()


def open_menu(page):
    """Show the main nav (a no-op on a desktop, where it is always shown)."""
    _open(page, "details.site-menu", "summary.menu-toggle")


def open_account_menu(page):
    """Show the account links: the name (to the account page), Password and Log out, or
    Log in and Sign up for a visitor."""
    open_menu(page)
    _open(page, "details.account-menu", "summary.account-toggle")
