"""The host_breaks filter: a host name may wrap before each dot, nowhere else, and stays escaped."""

from __future__ import annotations

from django.template import Context, Template

from agency.templatetags.hosts import host_breaks


def test_a_host_may_break_before_each_dot_only() -> None:
    assert str(host_breaks("stark.localhost")) == "<span>stark</span><wbr><span>.localhost</span>"
    assert str(host_breaks("reports.stark-industries.example")) == (
        "<span>reports</span><wbr><span>.stark-industries</span><wbr><span>.example</span>")
    assert str(host_breaks("localhost")) == "<span>localhost</span>"


def test_a_host_is_escaped() -> None:
    assert str(host_breaks('a<b>."c')) == "<span>a&lt;b&gt;</span><wbr><span>.&quot;c</span>"
    rendered = Template("{% load hosts %}{{ host|host_breaks }}").render(Context({"host": "x.<i>"}))
    assert rendered == "<span>x</span><wbr><span>.&lt;i&gt;</span>"
