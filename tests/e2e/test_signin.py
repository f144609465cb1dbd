"""A resident on a 390 px phone, in Chinese: signs in with an SMS code read from the file backend, resets a
forgotten password by SMS, and registers (phone, community, building). Every page passes axe and the contrast check."""
from playwright.sync_api import expect

from communities.models import RegistrationRequest
from communities.sms.backends import read_sms_file

from .a11y import visit
from .flows import HOME, LOGIN, follow

PHONE = "13812345678"


def _mobile(resident):
    resident.person.phone = PHONE
    resident.person.save(update_fields=["phone"])


def _last_code(outbox):
    return read_sms_file(outbox)[-1]["code"]


def test_sign_in_with_an_sms_code(page, resident, sms_outbox, artifacts_dir):
    _mobile(resident)
    visit(page, LOGIN)
    expect(page.get_by_label("手机号或用户名")).to_be_visible()
    follow(page, page.get_by_role("link", name="用短信验证码登录"))
    page.get_by_label("手机号").fill("138 1234 5678")
    follow(page, page.get_by_role("button", name="获取验证码"))
    expect(page.get_by_role("main")).to_contain_text("验证码已发送到 138****5678")
    page.get_by_label("短信验证码").fill(_last_code(sms_outbox))
    page.screenshot(path=str(artifacts_dir / "signin-code.png"), full_page=True)
    follow(page, page.get_by_role("button", name="登录", exact=True))
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def test_a_wrong_code_says_so_next_to_the_field(page, resident, sms_outbox):
    _mobile(resident)
    visit(page, "/accounts/login/code/")
    page.get_by_label("手机号").fill(PHONE)
    follow(page, page.get_by_role("button", name="获取验证码"))
    page.get_by_label("短信验证码").fill("000000" if _last_code(sms_outbox) != "000000" else "111111")
    follow(page, page.get_by_role("button", name="登录", exact=True))
    expect(page.get_by_label("短信验证码")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("main")).to_contain_text("验证码不正确")


def test_forgotten_password_reset_by_sms_then_sign_in_with_the_phone(page, resident, sms_outbox):
    _mobile(resident)
    visit(page, LOGIN)
    follow(page, page.get_by_role("link", name="忘记密码？用短信验证码重设"))
    page.get_by_label("手机号").fill(PHONE)
    follow(page, page.get_by_role("button", name="获取验证码"))
    expect(page.get_by_role("main")).to_contain_text("密码至少 8 位")
    page.get_by_label("短信验证码").fill(_last_code(sms_outbox))
    page.locator("#id_new_password1").fill("Rongting-2026!")
    page.locator("#id_new_password2").fill("Rongting-2026!")
    follow(page, page.get_by_role("button", name="设置新密码"))
    expect(page).to_have_url(LOGIN)
    page.get_by_label("手机号或用户名").fill(PHONE)
    page.locator("#id_password").fill("Rongting-2026!")
    follow(page, page.get_by_role("button", name="登录", exact=True))
    expect(page).to_have_url(HOME)


def test_register_phone_first_then_community_then_building(page, unit, other_community, sms_outbox):
    visit(page, "/accounts/register/")
    page.get_by_label("手机号").fill("13900139000")
    follow(page, page.get_by_role("button", name="获取验证码"))
    page.get_by_label("短信验证码").fill(_last_code(sms_outbox))
    follow(page, page.get_by_role("button", name="验证", exact=True))
    page.get_by_label("您住在哪个社区(村)？").select_option(label="蓉庭居民区")
    follow(page, page.get_by_role("button", name="下一步"))
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("楼栋").select_option(label="1号楼")
    page.get_by_label("房号").fill("301")
    page.get_by_label("与房屋的关系").select_option(label="业主")
    page.get_by_label("入住日期").fill("2024-03-01")
    page.locator("#id_password1").fill("Rongting-2026!")
    page.locator("#id_password2").fill("Rongting-2026!")
    follow(page, page.get_by_role("button", name="提交申请"))
    expect(page.get_by_role("main")).to_contain_text("待审核")
    assert RegistrationRequest.objects.get().phone_verified_at is not None
