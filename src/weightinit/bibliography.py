"""The site's bibliography: every work the site cites, as data, once.

`ENTRIES` holds one `Entry` per work. Whatever else cites a work names it by its key:
a scheme's reference (`weightinit.schemes.Scheme.cites`), the links of the
recommendations' reasons, the docstrings' References. The reference page renders the
entries with a table directive (see `weightinit_site.tables.bibliography`), with the
pages that cite each one (`weightinit_site.citations`). A page cites a work by linking
to it or by naming it author-year, in prose or in a reference list (see `author_year`). A
test checks both ways: every work a page cites is here, and every entry here is cited by
some page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = ["ENTRIES", "TOPICS", "Entry", "author_year", "entry_for", "entry_for_citation", "is_paper_link",
           "normalize_url", "pages"]


@dataclass(frozen=True)
class Entry:
    """One cited work.

    Attributes
    ----------
    key : str
        Short handle, first author's surname and year: ``"saxe2014"``.
    authors : tuple of str
        Surnames, in the paper's order.
    year : int
        Year of publication (of the venue, not of a preprint).
    title, venue : str
    url : str
        Where to read it. A page's link to the same work must normalize to this
        (see `normalize_url`), or lie under it (a book's chapter).
    takes : str
        What the site takes from it, in Markdown.
    topic : str
        The bibliography section it is listed under, one of `TOPICS`.
    checked : tuple of str
        The pointers into the work that were checked against its text: a section sign and a
        number, or "Eq.", "Table", "Algorithm", "Figure", "Appendix", "Definition" or
        "Theorem" and a number. A page may give only these; a test holds the pages, the
        entries and the library's docstrings to it. Set in `_CHECKED`.

    Examples
    --------
    >>> ENTRIES["saxe2014"].year
    2014
    """

    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    url: str
    takes: str
    topic: str
    checked: tuple[str, ...] = ()

    def citation(self) -> str:
        """The entry as one line of Markdown, authors in bold.

        Examples
        --------
        >>> ENTRIES["rumelhart1986"].citation().split(". [")[0]
        '**Rumelhart, Hinton, Williams** (1986)'
        """
        return f"**{', '.join(self.authors)}** ({self.year}). [{self.title}]({self.url}). *{self.venue}*."

    def markdown(self) -> str:
        """The entry as one line of Markdown with a link, as a scheme page lists its reference.

        Examples
        --------
        >>> ENTRIES["glorot2010"].markdown().split(". [")[0]
        'Glorot, Bengio (2010)'
        """
        return f"{', '.join(self.authors)} ({self.year}). [{self.title}]({self.url}). *{self.venue}*."


TOPICS = (
    "Initialization rules",
    "Signal propagation and dynamical isometry",
    "Residual networks and transformers",
    "Biases and output layers",
    "Training and textbooks",
    "Framework documentation",
)

_RULES, _SIGNAL, _RESIDUAL, _BIASES, _TRAINING, _DOCS = TOPICS

_ENTRIES = [
    Entry("lecun1998", ("LeCun", "Bottou", "Orr", "Müller"), 1998, "Efficient BackProp",
          "Neural Networks: Tricks of the Trade, Springer",
          "http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf",
          r"Weights with variance $1/n_\text{in}$ and standardized inputs (§4.6); the scaled tanh "
          r"$1.7159 \tanh(2x/3)$ (§4.4).", _RULES),
    Entry("glorot2010", ("Glorot", "Bengio"), 2010,
          "Understanding the difficulty of training deep feedforward neural networks", "AISTATS",
          "https://proceedings.mlr.press/v9/glorot10a.html",
          r"The forward/backward compromise $2/(n_\text{in} + n_\text{out})$ (§4.2.1, Eqs. 12 and 16); "
          r"the then-standard $\mathcal{U}(\pm 1/\sqrt{n})$ (Eq. 1).", _RULES),
    Entry("he2015", ("He", "Zhang", "Ren", "Sun"), 2015,
          "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification",
          "ICCV", "https://arxiv.org/abs/1502.01852",
          r"$2/n_\text{in}$ for ReLU and $2/((1 + a^2) n_\text{in})$ for PReLU (§2.2, Eqs. 10 and 14); "
          "the 30-layer comparison with Glorot's initialization (Figure 3).", _RULES),
    Entry("saxe2014", ("Saxe", "McClelland", "Ganguli"), 2014,
          "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks", "ICLR",
          "https://arxiv.org/abs/1312.6120",
          "Orthogonal initialization, depth-independent learning times in deep linear networks, and "
          "dynamical isometry.", _RULES),
    Entry("mezzadri2007", ("Mezzadri",), 2007, "How to generate random matrices from the classical compact groups",
          "Notices of the AMS", "https://arxiv.org/abs/math-ph/0609050",
          "Why a QR decomposition needs the sign fix to give a uniformly random orthogonal matrix.", _RULES),
    Entry("martens2010", ("Martens",), 2010, "Deep learning via Hessian-free optimization", "ICML",
          "https://www.cs.toronto.edu/~jmartens/docs/Deep_HessianFree.pdf",
          "Sparse initialization: 15 nonzero incoming weights per unit.", _RULES),
    Entry("sutskever2013", ("Sutskever", "Martens", "Dahl", "Hinton"), 2013,
          "On the importance of initialization and momentum in deep learning", "ICML",
          "https://proceedings.mlr.press/v28/sutskever13.html",
          "Sparse initialization with momentum.", _RULES),
    Entry("le2015", ("Le", "Jaitly", "Hinton"), 2015,
          "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units", "arXiv",
          "https://arxiv.org/abs/1504.00941", "IRNN: identity recurrent weights.", _RULES),
    Entry("mishkin2016", ("Mishkin", "Matas"), 2016, "All you need is a good init", "ICLR",
          "https://arxiv.org/abs/1511.06422", "LSUV: orthonormal weights rescaled layer by layer.", _RULES),
    Entry("klambauer2017", ("Klambauer", "Unterthiner", "Mayr", "Hochreiter"), 2017,
          "Self-Normalizing Neural Networks", "NeurIPS", "https://arxiv.org/abs/1706.02515",
          "SELU and its attracting fixed point at mean 0, variance 1 (Theorem 1).", _RULES),
    Entry("poole2016", ("Poole", "Lahiri", "Raghu", "Sohl-Dickstein", "Ganguli"), 2016,
          "Exponential expressivity in deep neural networks through transient chaos", "NeurIPS",
          "https://arxiv.org/abs/1606.05340", "The mean-field variance map; order and chaos.", _SIGNAL),
    Entry("schoenholz2017", ("Schoenholz", "Gilmer", "Ganguli", "Sohl-Dickstein"), 2017,
          "Deep Information Propagation", "ICLR", "https://arxiv.org/abs/1611.01232",
          r"$\chi_1$, depth scales, and trainability at the edge of chaos.", _SIGNAL),
    Entry("pennington2017", ("Pennington", "Schoenholz", "Ganguli"), 2017,
          "Resurrecting the sigmoid in deep learning through dynamical isometry: theory and practice",
          "NeurIPS", "https://arxiv.org/abs/1711.04735",
          "Dynamical isometry in nonlinear networks: Jacobian spectra, orthogonal weights and tanh.", _SIGNAL),
    Entry("xiao2018", ("Xiao", "Bahri", "Sohl-Dickstein", "Schoenholz", "Pennington"), 2018,
          "Dynamical Isometry and a Mean Field Theory of CNNs: How to Train 10,000-Layer Vanilla "
          "Convolutional Neural Networks", "ICML", "https://arxiv.org/abs/1806.05393",
          "Delta-orthogonal convolution kernels.", _SIGNAL),
    Entry("he2016", ("He", "Zhang", "Ren", "Sun"), 2016, "Deep Residual Learning for Image Recognition", "CVPR",
          "https://arxiv.org/abs/1512.03385", "Residual networks.", _RESIDUAL),
    Entry("goyal2017", ("Goyal", "Dollár", "Girshick", "Noordhuis", "Wesolowski", "Kyrola", "Tulloch", "Jia",
                        "He"), 2017,
          "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", "arXiv", "https://arxiv.org/abs/1706.02677",
          "Zero-initialized last BatchNorm scale in each residual block.", _RESIDUAL),
    Entry("zhang2019", ("Zhang", "Dauphin", "Ma"), 2019, "Fixup Initialization: Residual Learning Without Normalization",
          "ICLR", "https://arxiv.org/abs/1901.09321",
          "Fixup: the classification layer and the last layer of each residual branch start at zero.", _RESIDUAL),
    Entry("vaswani2017", ("Vaswani", "Shazeer", "Parmar", "Uszkoreit", "Jones", "Gomez", "Kaiser", "Polosukhin"),
          2017, "Attention Is All You Need", "NeurIPS", "https://arxiv.org/abs/1706.03762",
          r"Tied embeddings scaled by $\sqrt{d_\text{model}}$.", _RESIDUAL),
    Entry("radford2019", ("Radford", "Wu", "Child", "Luan", "Amodei", "Sutskever"), 2019,
          "Language Models are Unsupervised Multitask Learners", "OpenAI",
          "https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf",
          r"GPT-2: residual-layer weights scaled by $1/\sqrt{N}$, $N$ the number of residual layers.",
          _RESIDUAL),
    Entry("devlin2019", ("Devlin", "Chang", "Lee", "Toutanova"), 2019,
          "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "NAACL",
          "https://arxiv.org/abs/1810.04805",
          r"BERT; its released code (google-research/bert, `modeling.py`, `initializer_range=0.02`) "
          r"draws truncated $\mathcal{N}(0, 0.02^2)$ weights.", _RESIDUAL),
    Entry("press2017", ("Press", "Wolf"), 2017, "Using the Output Embedding to Improve Language Models", "EACL",
          "https://arxiv.org/abs/1608.05859", "Weight tying.", _RESIDUAL),
    Entry("gers2000", ("Gers", "Schmidhuber", "Cummins"), 2000, "Learning to Forget: Continual Prediction with LSTM",
          "Neural Computation", "https://doi.org/10.1162/089976600300015015", "The forget gate.", _BIASES),
    Entry("jozefowicz2015", ("Jozefowicz", "Zaremba", "Sutskever"), 2015,
          "An Empirical Exploration of Recurrent Network Architectures", "ICML",
          "https://proceedings.mlr.press/v37/jozefowicz15.html", "Forget-gate bias 1.", _BIASES),
    Entry("lin2017", ("Lin", "Goyal", "Girshick", "He", "Dollár"), 2017, "Focal Loss for Dense Object Detection",
          "ICCV", "https://arxiv.org/abs/1708.02002", r"RetinaNet's prior bias $b = -\log((1 - \pi)/\pi)$.",
          _BIASES),
    Entry("rumelhart1986", ("Rumelhart", "Hinton", "Williams"), 1986,
          "Learning representations by back-propagating errors", "Nature 323, 533–536",
          "https://www.nature.com/articles/323533a0", "Backpropagation.", _TRAINING),
    Entry("goodfellow2016", ("Goodfellow", "Bengio", "Courville"), 2016, "Deep Learning", "MIT Press",
          "https://www.deeplearningbook.org",
          "Initialization breaks symmetry between units (§8.4).", _TRAINING),
    Entry("pytorch-nn-init", ("PyTorch",), 2016, "torch.nn.init", "PyTorch documentation",
          "https://pytorch.org/docs/stable/nn.init.html", "`calculate_gain` and the initializers.", _DOCS),
    Entry("pytorch-linear", ("PyTorch",), 2016, "torch.nn.Linear", "PyTorch documentation",
          "https://pytorch.org/docs/stable/generated/torch.nn.Linear.html",
          r"The default $\mathcal{U}(\pm 1/\sqrt{n_\text{in}})$ of `nn.Linear`.", _DOCS),
    Entry("keras-initializers", ("Keras",), 2015, "Layer weight initializers", "Keras documentation",
          "https://keras.io/api/layers/initializers/", "The initializer classes.", _DOCS),
    Entry("jax-initializers", ("JAX authors",), 2018, "jax.nn.initializers", "JAX documentation",
          "https://jax.readthedocs.io/en/latest/jax.nn.initializers.html", "The initializer functions.", _DOCS),
    Entry("jax-variance-scaling", ("JAX authors",), 2018, "jax.nn.initializers.variance_scaling",
          "JAX documentation",
          "https://jax.readthedocs.io/en/latest/_autosummary/jax.nn.initializers.variance_scaling.html",
          "One function for the whole variance-scaling family.", _DOCS),
    Entry("flax-layers", ("Flax authors",), 2020, "flax.linen layers", "Flax documentation",
          "https://flax.readthedocs.io/en/latest/api_reference/flax.linen/layers.html",
          "`Dense` and its default initializers.", _DOCS),
    Entry("radford2018", ("Radford", "Narasimhan", "Salimans", "Sutskever"), 2018,
          "Improving Language Understanding by Generative Pre-Training", "OpenAI",
          "https://cdn.openai.com/research-covers/language-unsupervised/language_understanding_paper.pdf",
          r"GPT-1: every weight $\mathcal{N}(0, 0.02^2)$ (§4.1, *Model specifications*), the number "
          "transformers took up; DCGAN had used it before.", _RESIDUAL),
    Entry("radford2016", ("Radford", "Metz", "Chintala"), 2016,
          "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial Networks",
          "ICLR", "https://arxiv.org/abs/1511.06434",
          r"DCGAN: every weight $\mathcal{N}(0, 0.02^2)$ (§4, *Details of adversarial training*), the "
          "first published use of 0.02.", _RESIDUAL),
    Entry("huang2020", ("Huang", "Perez", "Ba", "Volkovs"), 2020,
          "Improving Transformer Optimization Through Better Initialization", "ICML",
          "https://proceedings.mlr.press/v119/huang20f.html", "T-Fixup: depth-scaled init without LayerNorm.",
          _RESIDUAL),
    Entry("liu2020", ("Liu", "Liu", "Gao", "Chen", "Han"), 2020, "Understanding the Difficulty of Training Transformers",
          "EMNLP", "https://arxiv.org/abs/2004.08249", "Admin: the skip scaled by profiled branch variances.",
          _RESIDUAL),
    Entry("wang2022", ("Wang", "Ma", "Dong", "Huang", "Zhang", "Wei"), 2022, "DeepNet: Scaling Transformers to 1,000 Layers",
          "arXiv", "https://arxiv.org/abs/2203.00555", r"DeepNorm's $\alpha$ and $\beta$; a depth-independent update bound.",
          _RESIDUAL),
    Entry("bachlechner2021", ("Bachlechner", "Majumder", "Mao", "Cottrell", "McAuley"), 2021,
          "ReZero is All You Need: Fast Convergence at Large Depth", "UAI",
          "https://proceedings.mlr.press/v161/bachlechner21a.html", "ReZero: each branch scaled by a learned zero.",
          _RESIDUAL),
    Entry("de2020", ("De", "Smith"), 2020,
          "Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks", "NeurIPS",
          "https://arxiv.org/abs/2002.10444", "SkipInit.", _RESIDUAL),
    Entry("touvron2021", ("Touvron", "Cord", "Sablayrolles", "Synnaeve", "Jégou"), 2021,
          "Going deeper with Image Transformers", "ICCV", "https://arxiv.org/abs/2103.17239",
          r"LayerScale: per-channel branch scales started at a small $\varepsilon$.", _RESIDUAL),
    Entry("dosovitskiy2021", ("Dosovitskiy", "Beyer", "Kolesnikov", "Weissenborn", "Zhai", "Unterthiner",
                              "Dehghani", "Minderer", "Heigold", "Gelly", "Uszkoreit", "Houlsby"), 2021,
          "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", "ICLR",
          "https://arxiv.org/abs/2010.11929",
          "The vision transformer: patch embedding, class token, position embeddings; a zero-initialized "
          "head for fine-tuning.", _RESIDUAL),
    Entry("liu2022", ("Liu", "Mao", "Wu", "Feichtenhofer", "Darrell", "Xie"), 2022, "A ConvNet for the 2020s",
          "CVPR", "https://arxiv.org/abs/2201.03545", "ConvNeXt, whose blocks end in a layer scale started at "
          r"$10^{-6}$.", _RESIDUAL),
    Entry("yang2021", ("Yang", "Hu"), 2021, "Tensor Programs IV: Feature Learning in Infinite-Width Neural Networks",
          "ICML", "https://arxiv.org/abs/2011.14522", "The maximal-update parametrization (muP).", _SIGNAL),
    Entry("yang2022", ("Yang", "Hu", "Babuschkin", "Sidor", "Liu", "Farhi", "Ryder", "Pachocki", "Chen", "Gao"), 2022,
          "Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer", "arXiv",
          "https://arxiv.org/abs/2203.03466", "muP's per-layer init and learning rates; the coordinate check.", _SIGNAL),
    Entry("tallec2018", ("Tallec", "Ollivier"), 2018, "Can recurrent neural networks warp time?", "ICLR",
          "https://arxiv.org/abs/1804.11188", "Chrono initialization of LSTM gate biases.", _BIASES),
    Entry("salimans2016", ("Salimans", "Kingma"), 2016,
          "Weight Normalization: A Simple Reparameterization to Accelerate Training of Deep Neural Networks",
          "NeurIPS", "https://arxiv.org/abs/1602.07868", "Weight normalization's data-dependent init.", _RULES),
    Entry("krahenbuhl2016", ("Krähenbühl", "Doersch", "Donahue", "Darrell"), 2016,
          "Data-dependent Initializations of Convolutional Neural Networks", "ICLR",
          "https://arxiv.org/abs/1511.06856", "Within- and between-layer rescaling on a batch.", _RULES),
    Entry("dauphin2019", ("Dauphin", "Schoenholz"), 2019,
          "MetaInit: Initializing learning by learning to initialize", "NeurIPS",
          "https://proceedings.neurips.cc/paper/2019/hash/876e8108f87eb61877c6263228b67256-Abstract.html",
          "MetaInit: the norms of the initial weight matrices tuned by gradient descent on the "
          "gradient quotient.", _RULES),
    Entry("zhu2021", ("Zhu", "Ni", "Xu", "Kong", "Huang", "Goldstein"), 2021,
          "GradInit: Learning to Initialize Neural Networks for Stable and Efficient Training", "NeurIPS",
          "https://arxiv.org/abs/2102.08098", "GradInit: learned per-tensor scales.", _RULES),
    Entry("zhao2022", ("Zhao", "Schäfer", "Anandkumar"), 2022,
          "ZerO Initialization: Initializing Neural Networks with only Zeros and Ones", "TMLR",
          "https://arxiv.org/abs/2110.12661", "ZerO: identity and Hadamard, no randomness.", _RULES),
    Entry("trockman2023", ("Trockman", "Kolter"), 2023, "Mimetic Initialization of Self-Attention Layers", "ICML",
          "https://arxiv.org/abs/2305.09828", "Mimetic init of attention weights.", _RULES),
    Entry("ioffe2015", ("Ioffe", "Szegedy"), 2015,
          "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift", "ICML",
          "https://arxiv.org/abs/1502.03167", "BatchNorm: what it fixes about initialization and what it does not.",
          _TRAINING),
    Entry("micikevicius2018", ("Micikevicius", "Narang", "Alben", "Diamos", "Elsen", "Garcia", "Ginsburg", "Houston",
                               "Kuchaiev", "Venkatesh", "Wu"), 2018, "Mixed Precision Training", "ICLR",
          "https://arxiv.org/abs/1710.03740", "float32 master weights; float16's range.", _TRAINING),
    Entry("hu2022", ("Hu", "Shen", "Wallis", "Allen-Zhu", "Li", "Wang", "Wang", "Chen"), 2022,
          "LoRA: Low-Rank Adaptation of Large Language Models", "ICLR", "https://arxiv.org/abs/2106.09685",
          "LoRA: A random, B zero, so the adapter starts as a no-op.", _TRAINING),
    Entry("touvron2023", ("Touvron", "Lavril", "Izacard", "Martinet", "Lachaux", "Lacroix", "Rozière", "Goyal",
                          "Hambro", "Azhar", "Rodriguez", "Joulin", "Grave", "Lample"), 2023,
          "LLaMA: Open and Efficient Foundation Language Models", "arXiv", "https://arxiv.org/abs/2302.13971",
          "The Llama block: pre-normalization with RMSNorm, SwiGLU, rotary embeddings.", _RESIDUAL),
    Entry("shazeer2020", ("Shazeer",), 2020, "GLU Variants Improve Transformer", "arXiv",
          "https://arxiv.org/abs/2002.05202", "SwiGLU, the gated feed-forward layer of Llama-style models.",
          _RESIDUAL),
    Entry("zhang2019rms", ("Zhang", "Sennrich"), 2019, "Root Mean Square Layer Normalization", "NeurIPS",
          "https://arxiv.org/abs/1910.07467", "RMSNorm: rescaling by the root mean square, no centring.",
          _RESIDUAL),
    Entry("peebles2023", ("Peebles", "Xie"), 2023, "Scalable Diffusion Models with Transformers", "ICCV",
          "https://arxiv.org/abs/2212.09748", "DiT's adaLN-Zero: every block starts as the identity.", _RESIDUAL),
    Entry("zhang2023", ("Zhang", "Rao", "Agrawala"), 2023,
          "Adding Conditional Control to Text-to-Image Diffusion Models", "ICCV",
          "https://arxiv.org/abs/2302.05543", "ControlNet's zero convolutions.", _RESIDUAL),
    Entry("nguyen2019", ("Nguyen", "Salazar"), 2019,
          "Transformers without Tears: Improving the Normalization of Self-Attention", "IWSLT",
          "https://arxiv.org/abs/1910.05895", "Credited by GPT-NeoX for its small_init.", _RESIDUAL),
]

#: Per entry key, the pointers checked against the paper's text (see `Entry.checked`).
_CHECKED: dict[str, tuple[str, ...]] = {
    "glorot2010": ("§3.1", "§4.2", "§4.2.1", "§4.3", "Eq. 1", "Eq. 12", "Eq. 13", "Eq. 14", "Eq. 15", "Eq. 16",
                   "Figure 7", "Figure 8"),
    "lecun1998": ("§4.4", "§4.6"),
    "vaswani2017": ("§3.2.1", "Eq. 1", "§3.4", "§3.5"),
    "radford2019": ("§2.3", "Table 2"),
    "radford2018": ("§4.1",),
    "radford2016": ("§3", "§4"),
    "yang2022": ("Table 3", "Definition 4.1", "Appendix D.1", "Appendix D.2"),
    "lin2017": ("§3.3",),
    "ioffe2015": ("§3.3",),
    "salimans2016": ("§3",),
    "goodfellow2016": ("§8.4",),
    "hu2022": ("§4.1",),
    "zhao2022": ("Algorithm 1",),
    "he2015": ("§2.2", "Eq. 7", "Eq. 10", "Eq. 14", "Figure 3"),
    "micikevicius2018": ("§3.1", "§3.2"),
    "touvron2023": ("§2.2",),
    "shazeer2020": ("§2",),
    "peebles2023": ("§3.2",),
    "zhang2023": ("§3.1",),
    "klambauer2017": ("Theorem 1", "Theorem 2", "Theorem 3"),
    "dosovitskiy2021": ("§3.2",),
}

#: Every cited work, by key, in the order the reference page lists them.
ENTRIES: dict[str, Entry] = {e.key: replace(e, checked=_CHECKED.get(e.key, ())) for e in _ENTRIES}

#: Hosts and paths whose links are papers or books: every such link on a page must be in `ENTRIES`.
_PAPER = re.compile(
    r"^(arxiv\.org|proceedings\.mlr\.press|jmlr\.org|(dx\.)?doi\.org|openreview\.net|papers\.nips\.cc|"
    r"(proceedings\.)?neurips\.cc|aclanthology\.org|cdn\.openai\.com|nature\.com|deeplearningbook\.org|"
    r"ieeexplore\.ieee\.org|dl\.acm\.org|link\.springer\.com|openaccess\.thecvf\.com)(/|$)"
    r"|\.pdf$"
)


def normalize_url(url: str) -> str:
    """A link reduced to what identifies the work: no scheme, ``www.``, fragment,
    query or trailing slash; arXiv PDFs and versions mapped to the abstract page.

    Examples
    --------
    >>> normalize_url("http://www.arxiv.org/pdf/1502.01852v3.pdf#page=2")
    'arxiv.org/abs/1502.01852'
    """
    url = re.sub(r"^https?://(www\.)?", "", url.strip())
    url = re.split(r"[#?]", url)[0].rstrip("/")
    m = re.match(r"^arxiv\.org/(abs|pdf)/(?P<id>.+?)(v\d+)?(\.pdf)?$", url)
    return f"arxiv.org/abs/{m['id']}" if m else url


def is_paper_link(url: str) -> bool:
    """Whether a link points at a paper or a book (by host, or a PDF).

    Examples
    --------
    >>> is_paper_link("https://arxiv.org/abs/1312.6120"), is_paper_link("https://github.com/pytorch/pytorch")
    (True, False)
    """
    return bool(_PAPER.search(normalize_url(url)))


def entry_for(url: str) -> Entry | None:
    """The entry a link cites: same normalized URL, or a page under the entry's URL.

    Examples
    --------
    >>> entry_for("https://www.deeplearningbook.org/contents/optimization.html").key
    'goodfellow2016'
    >>> entry_for("https://arxiv.org/abs/0000.00000") is None
    True
    """
    target = normalize_url(url)
    for entry in ENTRIES.values():
        base = normalize_url(entry.url)
        if target == base or target.startswith(base + "/"):
            return entry
    return None


#: A surname: a capital, then at least one lower-case letter (not an acronym such as ICLR).
_NAME = r"[A-Z][\w'’-]*[a-z][\w'’-]*"
_AUTHOR_YEAR = re.compile(
    rf"(?<![\w/.-])(?P<first>{_NAME})(?:(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+){_NAME})*"
    r"(?:\s+et\s+al\.?)?,?\s+\(?(?P<year>(?:19|20)\d\d)[a-z]?(?![\w.])"
)
#: Capitalized words that stand before a year without naming an author.
_NOT_AUTHORS = frozenset({"Since", "In", "From", "Until", "Before", "After", "As", "Of", "By", "The",
                          "December", "January", "March", "June", "July", "October", "Python",
                          "Debian", "Chrome", "Chromium", "Node", "Material", "Lighthouse"})
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def author_year(text: str) -> list[tuple[str, int]]:
    """The works a page cites by author and year, outside code blocks: ``(first author's
    surname, year)`` for "He et al. (2015)", "Glorot and Bengio 2010", "Dauphin &
    Schoenholz (2019, *NeurIPS*)", "[Vaswani et al. 2017, §3.4]" or a reference-list line
    "Zhang, Dauphin, Ma (2019). ...".

    Examples
    --------
    >>> author_year("as He et al. (2015) and Dauphin & Schoenholz (2019, NeurIPS) show")
    [('He', 2015), ('Dauphin', 2019)]
    >>> author_year("- Saxe, McClelland, Ganguli (2014). Exact solutions. NumPy 2.4, Python 3.11")
    [('Saxe', 2014)]
    """
    text = _FENCE.sub("", text)
    found = []
    for m in _AUTHOR_YEAR.finditer(text):
        if m["first"] not in _NOT_AUTHORS:
            found.append((m["first"], int(m["year"])))
    return found


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def entry_for_citation(surname: str, year: int) -> Entry | None:
    """The entry an author-year citation names: same first author, and the same year or one
    off (a preprint's year against its venue's).

    Examples
    --------
    >>> entry_for_citation("Krahenbuhl", 2016).key, entry_for_citation("Saxe", 2013).key
    ('krahenbuhl2016', 'saxe2014')
    >>> entry_for_citation("Nobody", 2019) is None
    True
    """
    matches = [e for e in ENTRIES.values() if _fold(e.authors[0]) == _fold(surname) and abs(e.year - year) <= 1]
    return min(matches, key=lambda e: abs(e.year - year), default=None)


def pages(docs_dir: Path) -> list[Path]:
    """The pages whose citations count: every Markdown page but the bibliography, and the notebooks."""
    skip = {docs_dir / "reference" / "bibliography.md"}
    found = sorted(docs_dir.rglob("*.md")) + sorted((docs_dir / "notebooks").glob("*.py"))
    return [p for p in found if p not in skip]
