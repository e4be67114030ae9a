"""The page shell in real Chromium: login, navigation, accessibility, with and without JS."""

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


def test_login_page_is_accessible_and_looks_right(page):
    page.goto("/masuk")
    assert page.title().startswith("Masuk")
    assert_accessible(page, "login")
    screenshot(page, "shell-login-desktop")
    assert page.console_errors == []


def test_sign_in_and_out_with_javascript(page, make_employee):
    employee = make_employee(nama="Siti Rahmawati")
    sign_in(page, employee.nip, TEST_PASSWORD)
    page.get_by_role("heading", name="Selamat datang, Siti Rahmawati").wait_for()
    assert_accessible(page, "dashboard")
    screenshot(page, "shell-dashboard-desktop")
    page.get_by_role("button", name="Keluar").first.click()
    page.get_by_text("Anda telah keluar.").wait_for()


def test_sign_in_works_without_javascript(page_nojs, make_employee):
    employee = make_employee(nama="Budi Santoso")
    sign_in(page_nojs, employee.email, TEST_PASSWORD)
    page_nojs.get_by_role("heading", name="Selamat datang, Budi Santoso").wait_for()


def test_wrong_password_shows_indonesian_message(page, make_employee):
    employee = make_employee()
    sign_in(page, employee.nip, "salah-sekali-kata-sandinya")
    page.get_by_text("NIP/e-mail atau kata sandi salah.").wait_for()


def test_phone_layout_has_a_menu_that_opens_without_javascript(new_page, make_employee):
    phone = new_page(javascript=False, phone=True)
    employee = make_employee(nama="Dewi Lestari")
    sign_in(phone, employee.nip, TEST_PASSWORD)
    phone.get_by_text("Menu").click()
    screenshot(phone, "shell-dashboard-phone-menu")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_a_small_laptop_folds_the_admins_long_menu_instead_of_wrapping_it(page, make_employee):
    """Between 992 and 1199 px the admin's menu (the longest) no longer fits on one line: the
    header folds it behind "Menu", as on phones; at 1280 px it is open on one line."""
    admin = make_employee(nama="Rina Marlina", roles=[("admin", None)])
    sign_in(page, admin.nip, TEST_PASSWORD)
    page.set_viewport_size({"width": 1100, "height": 800})
    header = page.locator("header.portal-header")
    assert header.bounding_box()["height"] < 80  # one row: the brand and the Menu button
    assert page.locator("header .d-xl-flex").is_hidden()
    page.get_by_text("Menu").click()
    page.locator("details.nav-toggle").get_by_role("link", name="Admin").wait_for()
    screenshot(page, "shell-admin-1100-menu")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("details.nav-toggle").is_hidden()
    assert page.locator("header .d-xl-flex").get_by_role("link", name="Admin").is_visible()
    assert header.bounding_box()["height"] < 80
    screenshot(page, "shell-admin-1280")
